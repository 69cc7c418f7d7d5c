package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import java.util.HashSet;
import java.util.Set;

/**
 * GC for tuning: removes backups of this network's attachments that the runtime no longer
 * lists in {@code cni.dev/valid-attachments}. Only backups that name their network (ours) are
 * candidates: a file the reference plugin wrote does not say which network it belongs to, and
 * the data directory may be shared by several networks, so those are left alone, as is anything
 * that is not a readable backup of ours, or not in the file its owner fields name.
 */
final class BackupCollector {
    private final BackupStore store;

    BackupCollector(BackupStore store) {
        this.store = store;
    }

    void collect(Invocation inv) throws CniException {
        Set<String> valid = validAttachments(inv);
        int removed = 0;
        for (String name : store.list()) {
            TuningBackup backup = store.read(name);
            if (backup == null || backup.network() == null || !isNamedFor(name, backup)) {
                continue;
            }
            if (backup.network().equals(inv.networkName())
                    && !valid.contains(key(backup.containerId(), backup.ifName()))) {
                Log.info("GC: removing stale tuning backup " + name);
                store.delete(name);
                removed++;
            }
        }
        Log.info("GC: removed " + removed + " stale tuning backup(s) of network " + inv.networkName());
    }

    /**
     * The still-valid attachments. An absent or null list means none, as for the Go plugins
     * (cnitool sends no list at all), which makes every attachment stale: said loudly.
     */
    static Set<String> validAttachments(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        String key = "cni.dev/valid-attachments";
        if (conf.get(key) == null) {
            key = "cni.dev/attachments";
        }
        Set<String> valid = new HashSet<>();
        JsonNode list = conf.get(key);
        if (list == null) {
            Log.warn("GC request lists no valid attachments: every attachment of network " + inv.networkName() + " counts as stale");
            return valid;
        }
        if (!list.isArray()) {
            throw conf.invalid(key, list, "an array of {containerID, ifname}");
        }
        for (JsonFields a : conf.objects(key)) {
            String id = a.string("containerID");
            String ifName = a.string("ifname");
            if (id != null && ifName != null) {
                valid.add(key(id, ifName));
            }
        }
        return valid;
    }

    /**
     * True when {@code name} is the file this backup's own owner fields make. The data directory
     * is the config's to name, so it may be a host directory: a JSON file there that merely says
     * {@code "network": <this network>} is not a backup, and must not be deleted as one.
     */
    private static boolean isNamedFor(String name, TuningBackup backup) {
        return backup.containerId() != null && backup.ifName() != null
                && name.equals(BackupStore.fileName(backup.containerId(), backup.ifName()));
    }

    private static String key(String containerId, String ifName) {
        return containerId + "\u0000" + ifName;
    }
}
