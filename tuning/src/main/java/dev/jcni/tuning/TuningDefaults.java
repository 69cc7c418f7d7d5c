package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.NodePolicy;
import dev.jcni.core.skel.StateRoots;

/**
 * Where tuning keeps and finds things when nobody says otherwise, and who may say otherwise: the
 * one place for tuning's defaults.
 *
 * <ul>
 *   <li>The data directory is the network config's to choose ({@code dataDir}, as in the
 *       reference), within the node's state directories ({@link StateRoots}): absent or empty
 *       means {@link #DATA_DIR}; a relative path is refused.</li>
 *   <li>The sysctl allowlist is node policy, never the config's: {@link #ALLOWLIST_FILE}, the
 *       reference's fixed path, unless the runtime's environment names another in
 *       {@link #ALLOWLIST_VARIABLE} (which is also how tests avoid writing to /etc).</li>
 * </ul>
 */
final class TuningDefaults {
    static final String DATA_DIR = "/run/cni/tuning";
    static final String ALLOWLIST_FILE = "/etc/cni/tuning/allowlist.conf";
    static final String ALLOWLIST_VARIABLE = "JCNI_TUNING_ALLOWLIST";
    /** Far above any real backup (a few hundred bytes) or allowlist; bounds what a planted file can make us read. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private TuningDefaults() {}

    /**
     * The data directory of this config: every verb reads it the same way. A config may choose
     * it only within the node's state directories ({@link StateRoots}), since tuning creates
     * root-owned files there and GC deletes some.
     */
    static String dataDir(JsonFields conf, NodePolicy node) throws CniException {
        String dataDir = conf.string("dataDir");
        if (dataDir == null || dataDir.isEmpty()) {
            return DATA_DIR;
        }
        if (!dataDir.startsWith("/")) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid value \"" + dataDir + "\" for \"dataDir\": expected an absolute path");
        }
        return StateRoots.of(node).confine(dataDir, "dataDir");
    }

    /** The allowlist the node chose. */
    static String allowlist(NodePolicy node) {
        return node.get(ALLOWLIST_VARIABLE, ALLOWLIST_FILE);
    }
}
