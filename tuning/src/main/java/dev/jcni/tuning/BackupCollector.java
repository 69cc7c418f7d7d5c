package dev.jcni.tuning;

import dev.jcni.core.skel.ValidAttachments;
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
        ValidAttachments valid = ValidAttachments.of(inv);
        int removed = 0;
        for (String name : store.list()) {
            TuningBackup backup = store.read(name);
            if (backup == null || backup.network() == null || !isNamedFor(name, backup)) {
                continue;
            }
            if (backup.network().equals(inv.networkName())
                    && !valid.contains(backup.containerId(), backup.ifName())) {
                Log.info("GC: removing stale tuning backup " + name);
                store.delete(name);
                removed++;
            }
        }
        Log.info("GC: removed " + removed + " stale tuning backup(s) of network " + inv.networkName());
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
}
