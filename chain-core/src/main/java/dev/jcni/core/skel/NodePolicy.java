package dev.jcni.core.skel;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings that belong to the node, never to a network config: where a plugin finds its policy
 * files (tuning's sysctl allowlist), and the like.
 *
 * <p>A network config is untrusted input: in multi-tenant clusters tenants write it (Multus
 * NetworkAttachmentDefinitions reach the plugin's stdin unchanged). The plugin's environment is
 * not: the node's runtime sets it. So node policy comes from the environment, and from there
 * only: {@link Skel} builds this value from the {@code JCNI_*} variables it was started with and
 * passes it in the {@link Invocation}; plugins, which never read the environment themselves,
 * ask it for their settings, and fall back to a fixed path (such as
 * {@code /etc/cni/tuning/allowlist.conf}) when the node sets none.
 */
public final class NodePolicy {
    /** The prefix of the environment variables that carry node policy. */
    public static final String PREFIX = "JCNI_";
    /** No settings: every plugin uses its fixed defaults. */
    public static final NodePolicy DEFAULTS = new NodePolicy(Collections.<String, String>emptyMap());

    private final Map<String, String> settings;

    private NodePolicy(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The {@code JCNI_*} variables of {@code env} with a non-empty value; nothing else is kept. */
    public static NodePolicy fromEnvironment(Map<String, String> env) {
        Map<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey() != null && e.getKey().startsWith(PREFIX) && e.getValue() != null && !e.getValue().isEmpty()) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return kept.isEmpty() ? DEFAULTS : new NodePolicy(Collections.unmodifiableMap(kept));
    }

    /** The setting {@code name} (e.g. {@code JCNI_TUNING_ALLOWLIST}), or {@code fallback} when the node sets none. */
    public String get(String name, String fallback) {
        String v = settings.get(name);
        return v != null ? v : fallback;
    }

    /** Every setting, by variable name: what a delegate inherits so that it runs under the same node policy. */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "NodePolicy" + settings;
    }
}
