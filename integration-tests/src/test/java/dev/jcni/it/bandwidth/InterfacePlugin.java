package dev.jcni.it.bandwidth;

import dev.jcni.it.support.PluginRunner;
import java.nio.file.Path;

/**
 * The interface plugin bandwidth is chained behind in the traffic tests: one parameter, so
 * "behind our bridge" is one more constant here once interface-bridge ships {@code bin/bridge}
 * and {@code bin/host-local}.
 */
enum InterfacePlugin {
    /** Debian's containernetworking-plugins 1.1.1 bridge and host-local (spec up to 1.0.0). */
    REFERENCE_BRIDGE(PluginRunner.REFERENCE_BIN);

    final Path dir;

    InterfacePlugin(Path dir) {
        this.dir = dir;
    }

    boolean installed() {
        return dir.resolve("bridge").toFile().canExecute() && dir.resolve("host-local").toFile().canExecute();
    }
}
