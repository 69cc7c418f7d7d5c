package dev.jcni.core.skel;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import java.util.List;

/**
 * A CNI plugin's verbs. Implementations never read the environment or stdin, never print to
 * stdout and never exit: {@link Skel} does all of that, so a plugin can also run in-process.
 */
public interface CniPlugin {
    /** Printed on stderr when CNI_COMMAND is unset, e.g. "jcni tuning 0.1.0". */
    String about();

    /** The spec versions this plugin accepts and emits results in. */
    List<String> supportedVersions();

    Result add(Invocation inv) throws CniException;

    void check(Invocation inv) throws CniException;

    void del(Invocation inv) throws CniException;

    /** Removes state of attachments not listed in {@code cni.dev/valid-attachments}. */
    void gc(Invocation inv) throws CniException;

    /** Returns normally when the plugin can serve ADD; throws code 50 or 51 otherwise. */
    void status(Invocation inv) throws CniException;
}
