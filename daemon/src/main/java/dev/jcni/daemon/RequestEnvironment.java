package dev.jcni.daemon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment map a plugin JVM would have built from the entries the launcher forwarded, as
 * {@code System.getenv()} builds it from {@code environ}: each entry split at its first
 * {@code =}; an entry without {@code =} left out; of entries with the same name, the first wins
 * (the JDK reads environ back to front so that earlier entries override later ones, as
 * {@code getenv(3)} finds the first).
 */
final class RequestEnvironment {
    private RequestEnvironment() {}

    static Map<String, String> of(List<String> entries) {
        Map<String, String> env = new HashMap<>(entries.size() * 2);
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                continue;
            }
            env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }
}
