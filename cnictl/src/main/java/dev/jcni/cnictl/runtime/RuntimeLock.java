package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Keeps GC from running alongside ADD or DEL on the same host (the spec forbids it: GC would
 * see a half-made attachment as stale). ADD and DEL take the lock shared, GC takes it exclusive.
 *
 * <p>Between processes it is a lock on {@code <cacheDir>/jcni-runtime.lock}. Inside one JVM,
 * Java refuses overlapping locks on one file and POSIX drops every lock of the process when any
 * channel on the file is closed, so each lock file has one channel, kept open, and a
 * read-write lock in front of it; the shared file lock is held while any thread holds the read side.
 * (Anonymous classes rather than lambdas throughout: a CLI's start-up pays for lambda bootstrap.)
 */
final class RuntimeLock {
    static final String FILE_NAME = "jcni-runtime.lock";
    private static final ConcurrentHashMap<Path, RuntimeLock> LOCKS = new ConcurrentHashMap<>();

    /** A held lock; close releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final Path file;
    private final ReentrantReadWriteLock local = new ReentrantReadWriteLock(true);
    private FileChannel channel;
    private FileLock sharedFileLock;
    private int sharedHolders;

    private RuntimeLock(Path file) {
        this.file = file;
    }

    static RuntimeLock forCacheDir(Path cacheDir) {
        Path f = cacheDir.toAbsolutePath().normalize().resolve(FILE_NAME);
        RuntimeLock existing = LOCKS.get(f);
        if (existing != null) {
            return existing;
        }
        RuntimeLock created = new RuntimeLock(f);
        existing = LOCKS.putIfAbsent(f, created);
        return existing == null ? created : existing;
    }

    Held shared() throws CniException {
        local.readLock().lock();
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    sharedFileLock = channel().lock(0, Long.MAX_VALUE, true);
                }
                sharedHolders++;
            }
        } catch (IOException e) {
            local.readLock().unlock();
            throw failure(e);
        }
        return new Held() {
            @Override
            public void close() {
                releaseShared();
            }
        };
    }

    Held exclusive() throws CniException {
        local.writeLock().lock();
        FileLock lock;
        try {
            synchronized (this) {
                lock = channel().lock(0, Long.MAX_VALUE, false);
            }
        } catch (IOException e) {
            local.writeLock().unlock();
            throw failure(e);
        }
        return new Held() {
            @Override
            public void close() {
                release(lock);
                local.writeLock().unlock();
            }
        };
    }

    private void releaseShared() {
        synchronized (this) {
            if (--sharedHolders == 0) {
                release(sharedFileLock);
                sharedFileLock = null;
            }
        }
        local.readLock().unlock();
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            ResultCache.createPrivateDirectories(file.getParent());
            channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return channel;
    }

    private static void release(FileLock lock) {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            // The channel stays open; a release failure only matters if the process lives on,
            // and then the next lock() on the same channel re-acquires it.
        }
    }

    private CniException failure(IOException e) {
        return new CniException(CniException.IO_FAILURE, "cannot lock " + file, IoErrors.describe(e));
    }
}
