package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.Log;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Backup files in the data directory: {@code <dataDir>/<containerID>_<ifname>.json}, mode 0600,
 * in a 0700 directory (the reference creates it 0600, without the search bit; we fix that).
 * Writes go through a temporary file and a rename, so a crash never leaves half a backup.
 */
public final class BackupStore {
    /** Created with this mode, not through the umask: backups are the runtime's business only. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path dir;

    public BackupStore(String dataDir) {
        this.dir = Path.of(dataDir);
    }

    public Path dir() {
        return dir;
    }

    public Path fileFor(String containerId, String ifName) {
        return dir.resolve(containerId + "_" + ifName + ".json");
    }

    /** The backup for this attachment, or null when there is none or it is unreadable (then logged). */
    public TuningBackup read(String containerId, String ifName) {
        return read(fileFor(containerId, ifName));
    }

    TuningBackup read(Path file) {
        try {
            return TuningBackup.fromJson(Json.parseObject(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            Log.warn("ignoring unreadable tuning backup " + file + ": " + e.getMessage());
            return null;
        }
    }

    public boolean exists(String containerId, String ifName) {
        return Files.exists(fileFor(containerId, ifName));
    }

    public void write(TuningBackup backup) throws CniException {
        Path file = fileFor(backup.containerId(), backup.ifName());
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                // createDirectories applies the umask; the mode must not depend on the caller's.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            // Not Files.createTempFile: its random name initialises SecureRandom (milliseconds at
            // start-up). A clock reading is unique enough; CREATE_NEW catches the rare clash.
            Path tmp = createExclusive(dir);
            try {
                Files.write(tmp, Json.writePretty(backup.toJson()));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to save tuning backup " + file, e.toString());
        }
    }

    private static Path createExclusive(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(".backup-" + System.nanoTime() + ".tmp");
            try {
                return Files.createFile(tmp, OWNER_ONLY);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Deletes the file; a missing one is fine (DEL is idempotent). */
    public void delete(String containerId, String ifName) {
        delete(fileFor(containerId, ifName));
    }

    void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.warn("cannot remove tuning backup " + file + ": " + e.getMessage());
        }
    }

    /** Every backup file in the directory (none when it does not exist). */
    public List<Path> list() throws CniException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : files) {
                out.add(p);
            }
        } catch (IOException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot list tuning backups in " + dir, e.toString());
        }
        return out;
    }
}
