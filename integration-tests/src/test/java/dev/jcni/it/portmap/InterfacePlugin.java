package dev.jcni.it.portmap;

import dev.jcni.it.support.PluginRunner;
import java.nio.file.Path;

/**
 * The interface plugin portmap is chained behind in the traffic tests: Debian's reference bridge,
 * and ours.
 */
enum InterfacePlugin {
    /** Debian's containernetworking-plugins 1.1.1 bridge and host-local (spec up to 1.0.0). */
    REFERENCE_BRIDGE(PluginRunner.REFERENCE_BIN),
    /** Our bin/bridge and bin/host-local. */
    OUR_BRIDGE(PluginRunner.OUR_BIN);

    final Path dir;

    InterfacePlugin(Path dir) {
        this.dir = dir;
    }

    boolean installed() {
        return dir.resolve("bridge").toFile().canExecute() && dir.resolve("host-local").toFile().canExecute();
    }
}
