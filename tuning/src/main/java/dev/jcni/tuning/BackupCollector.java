package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Fields;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * GC for tuning: removes backups of this network's attachments that the runtime no longer
 * lists in {@code cni.dev/valid-attachments}. Only backups that name their network (ours) are
 * candidates: a file the reference plugin wrote does not say which network it belongs to, and
 * the data directory may be shared by several networks, so those are left alone.
 */
final class BackupCollector {
    private final BackupStore store;

    BackupCollector(BackupStore store) {
        this.store = store;
    }

    void collect(Invocation inv) throws CniException {
        Set<String> valid = validAttachments(inv);
        int removed = 0;
        for (Path file : store.list()) {
            TuningBackup backup = store.read(file);
            if (backup == null || backup.network() == null) {
                continue;
            }
            if (backup.network().equals(inv.networkName())
                    && !valid.contains(key(backup.containerId(), backup.ifName()))) {
                Log.info("GC: removing stale tuning backup " + file);
                store.delete(file);
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
        JsonNode list = inv.config().get("cni.dev/valid-attachments");
        if (list == null || list.isNull()) {
            list = inv.config().get("cni.dev/attachments");
        }
        Set<String> valid = new HashSet<>();
        if (list == null || list.isNull()) {
            Log.warn("GC request lists no valid attachments: every attachment of network " + inv.networkName() + " counts as stale");
            return valid;
        }
        if (!list.isArray()) {
            throw Fields.typeError("cni.dev/valid-attachments", list, "an array of {containerID, ifname}");
        }
        for (JsonNode a : list) {
            String id = Fields.string(a, "containerID", "cni.dev/valid-attachments[].containerID");
            String ifName = Fields.string(a, "ifname", "cni.dev/valid-attachments[].ifname");
            if (id != null && ifName != null) {
                valid.add(key(id, ifName));
            }
        }
        return valid;
    }

    private static String key(String containerId, String ifName) {
        return containerId + "\u0000" + ifName;
    }
}
