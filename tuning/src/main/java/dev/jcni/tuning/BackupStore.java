package dev.jcni.tuning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.StateDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Backup files in the data directory, {@code <dataDir>/<containerID>_<ifname>.json}, kept in a
 * {@link StateDirectory}: mode 0600 in a 0700 directory (the reference creates it 0600, without
 * the search bit), written through a rename, read back as untrusted input. A backup that is not
 * our regular file, is too large or is not JSON is ignored with a warning and left where it is;
 * values in it that break the config's rules are dropped with a warning each.
 */
final class BackupStore {
    private static final String SUFFIX = ".json";

    private final StateDirectory state;

    BackupStore(String dataDir) {
        this.state = new StateDirectory(dataDir, TuningDefaults.MAX_FILE_BYTES);
    }

    Path dir() {
        return state.dir();
    }

    static String fileName(String containerId, String ifName) {
        return containerId + "_" + ifName + SUFFIX;
    }

    Path fileFor(String containerId, String ifName) {
        return state.file(fileName(containerId, ifName));
    }

    /** The backup for this attachment, validated; null when there is none or it cannot be used (then logged). */
    TuningBackup read(String containerId, String ifName) {
        return read(fileName(containerId, ifName));
    }

    TuningBackup read(String name) {
        FileRead file = state.read(name);
        if (file.isAbsent()) {
            return null;
        }
        if (file.isRefused()) {
            Log.warn("ignoring tuning backup " + file.path() + ": it " + file.reason());
            return null;
        }
        ObjectNode json;
        try {
            json = Json.parseObject(file.content());
        } catch (Json.JsonSyntaxException e) {
            Log.warn("ignoring tuning backup " + file.path() + ": not a JSON object (" + e.getMessage() + ")");
            return null;
        }
        List<String> dropped = new ArrayList<>();
        TuningBackup backup = TuningBackup.fromJson(json, dropped);
        for (String d : dropped) {
            Log.warn("tuning backup " + file.path() + ": not restoring " + d);
        }
        return backup;
    }

    boolean exists(String containerId, String ifName) {
        return state.exists(fileName(containerId, ifName));
    }

    void write(TuningBackup backup) throws CniException {
        state.write(fileName(backup.containerId(), backup.ifName()), Json.writePretty(backup.toJson()));
    }

    /** Deletes the file; a missing one is fine (DEL is idempotent). */
    void delete(String containerId, String ifName) {
        state.delete(fileName(containerId, ifName));
    }

    void delete(String name) {
        state.delete(name);
    }

    /** The names of every backup file in the directory (none when it does not exist). */
    List<String> list() throws CniException {
        return state.list(SUFFIX);
    }
}
