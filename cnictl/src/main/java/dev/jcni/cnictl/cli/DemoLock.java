package dev.jcni.cnictl.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The demo runs' lock: {@code <base>/lock}, held exclusively while a run sweeps dead runs and
 * claims its subnet and hostPort, so two demos starting at once never claim the same ones. The
 * last run to leave deletes the file and the base directory while holding the lock, so a waiter
 * may wake up holding the lock of a deleted file: it checks that the path still names the file it
 * locked, and otherwise starts again.
 */
final class DemoLock implements AutoCloseable {
    static final String FILE_NAME = "lock";

    private final Path base;
    private final FileChannel channel;

    private DemoLock(Path base, FileChannel channel) {
        this.base = base;
        this.channel = channel;
    }

    /** Waits for the lock (other demos hold it for a moment only). */
    static DemoLock acquire(Path base) throws IOException {
        Path file = base.resolve(FILE_NAME);
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(base);
            try {
                Files.createFile(file);
            } catch (java.nio.file.FileAlreadyExistsException exists) {
                // the usual case
            } catch (NoSuchFileException baseJustRemoved) {
                continue;
            }
            Object before;
            FileChannel ch;
            try {
                before = key(file);
                ch = FileChannel.open(file, StandardOpenOption.WRITE);
            } catch (NoSuchFileException removedMeanwhile) {
                continue;
            }
            ch.lock();
            Object after;
            try {
                after = key(file);
            } catch (NoSuchFileException removedMeanwhile) {
                after = null;
            }
            if (Objects.equals(before, after)) {
                return new DemoLock(base, ch);
            }
            ch.close(); // the file locked was deleted by the last run to leave
            if (attempt > 1000) {
                throw new IOException("cannot lock " + file + ": it keeps being replaced");
            }
        }
    }

    /** Removes the base directory (and the lock file) when no run directory is left in it; call while holding the lock. */
    void removeBaseIfIdle() {
        try (var entries = Files.list(base)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (!p.getFileName().toString().equals(FILE_NAME)) {
                    return;
                }
            }
        } catch (IOException e) {
            return;
        }
        try {
            Files.deleteIfExists(base.resolve(FILE_NAME));
            Files.deleteIfExists(base);
        } catch (IOException raced) {
            // a run appeared meanwhile (it cannot have: it would need the lock); leave it
        }
    }

    @Override
    public void close() {
        try {
            channel.close(); // releases the lock
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static Object key(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
