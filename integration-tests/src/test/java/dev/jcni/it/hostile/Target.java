package dev.jcni.it.hostile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the cases of a suite are fed to: a launcher in bin/, the environment a runtime would give
 * it, its protocol, and where its own state lives in a {@link Workspace} (which may change on
 * success, never on failure). A later plugin is one more {@link PluginTarget}; the input classes
 * are the plugin's to write.
 */
public interface Target {
    /** Its name in reports. */
    String name();

    /** Once per suite, before any case: fixtures the cases share (stub plugins...); extra placeholders. */
    Map<String, String> prepare(Path suiteDir);

    /** The environment before the case's own entries: what a runtime sets for {@code c}. */
    Map<String, Text> defaultEnv(HostileCase c);

    /** The program and its arguments. */
    List<Text> command(HostileCase c);

    Protocol protocol();

    /** The workspace directories (relative) that hold the target's own state. */
    List<String> stateDirs();
}
