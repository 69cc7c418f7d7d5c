package dev.jcni.core.os.internal;

/**
 * The java.util.logging configuration of every jcni process: none. The launcher names this
 * class in {@code java.util.logging.config.class}, so the JDK calls this constructor instead of
 * parsing {@code logging.properties}.
 *
 * <p>Why: jffi asks java.util.logging for a logger when it loads, and the default configuration
 * step (properties parsing, streams, lambdas) costs several milliseconds and a hundred classes at
 * every start. jcni logs through {@code dev.jcni.core.skel.Log}; jffi reports failures by
 * exception, so dropping its log records loses nothing, and nothing can reach stdout.
 */
public final class SilentLoggingConfig {
    public SilentLoggingConfig() {
        // Deliberately empty: no handlers, no levels.
    }
}
