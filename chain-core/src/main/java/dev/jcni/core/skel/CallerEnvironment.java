package dev.jcni.core.skel;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment as the caller set it, before the launcher changed it for the JVM.
 *
 * <p>The JVM decodes environment variables and file names with the charset of its locale, and
 * runtimes exec plugins with a minimal environment: without a UTF-8 locale a non-ASCII
 * {@code CNI_NETNS} or data directory cannot even be named. So {@code bin/<name>} (written by
 * deploy/package-bin.sh) starts the JVM with {@code LC_ALL=C.UTF-8}, whatever the caller had,
 * and records the caller's own value in {@value #SAVED_LC_ALL}: {@code set:<value>}, or
 * {@code unset}. {@link #of} undoes the change, so what a request sees, and what a runtime such
 * as cnictl hands on to the plugins it runs, is the caller's environment. (Delegated plugins get
 * only the CNI variables anyway, see {@code DelegateRequest}.)
 */
public final class CallerEnvironment {
    /** Set by the launcher: the caller's LC_ALL as {@code set:<value>}, or {@code unset}. */
    public static final String SAVED_LC_ALL = "JCNI_CALLER_LC_ALL";

    private CallerEnvironment() {}

    /** {@code env} with the caller's LC_ALL back and the launcher's record of it removed. */
    public static Map<String, String> of(Map<String, String> env) {
        String saved = env.get(SAVED_LC_ALL);
        if (saved == null) {
            return env;  // not started by our launcher: nothing was changed
        }
        Map<String, String> caller = new HashMap<>(env);
        caller.remove(SAVED_LC_ALL);
        if (saved.startsWith("set:")) {
            caller.put("LC_ALL", saved.substring(4));
        } else if (saved.equals("unset")) {
            caller.remove("LC_ALL");
        }
        return caller;
    }
}
