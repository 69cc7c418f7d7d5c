package dev.jcni.core.skel;

import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One attachment's lock: the skel holds it around ADD, DEL and CHECK, so requests for the same
 * attachment never interleave even when a runtime (against the spec) sends them at once; a DEL
 * racing an ADD would otherwise restore from a backup the ADD has not finished writing.
 *
 * <p>The key is (plugin, container ID, ifname). The plugin is part of it because a plugin holds
 * its lock while it delegates ({@code bridge} to {@code host-local}) for the same attachment:
 * without it the delegate would wait for its caller forever. It is part of the file name, not
 * only of the hash, so two plugins never share a lock file either.
 *
 * <p>Between processes: a POSIX record lock on one of a bounded set of files,
 * {@code <dir>/<plugin>.<stripe>} with 256 stripes per plugin (a hash of container ID and ifname
 * picks one), so lock files are never deleted: deleting a lock file is racy, as a waiter may hold
 * the unlinked one. Two attachments of one plugin that share a stripe merely wait for each other.
 * Inside one JVM (the node daemon runs many requests at once) a semaphore per file comes first:
 * a second lock on a file the JVM already locks would throw instead of waiting, and POSIX drops a
 * process's locks when any descriptor of the file closes.
 *
 * <p>The directory ({@code JCNI_LOCK_DIR}, default {@code /run/jcni/locks}) is created 0700 and
 * must be a directory of this user that nobody else can write. When it cannot be used (not root,
 * a read-only /run) the request goes on unlocked with one warning per process and directory:
 * a lock must never make DEL impossible. Waiting is bounded: after {@link #DEFAULT_WAIT} the
 * request fails with code 11 (try again later), within the deadline runtimes give a plugin.
 */
public final class AttachmentLock implements AutoCloseable {
    /** The environment variable naming the lock directory (node policy, like JCNI_LOG_FILE). */
    public static final String DIR_ENV = "JCNI_LOCK_DIR";
    public static final Path DEFAULT_DIR = Path.of("/run/jcni/locks");
    /** Below the 60 s runtimes commonly allow a plugin, so the caller hears code 11 rather than a kill. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(45);
    static final int STRIPES = 256;
    private static final Pattern PLUGIN_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    // Built once: every locked request opens a lock file, and in the node daemon the first
    // requests run interpreted, where building these each time shows.
    private static final Set<OpenOption> LOCK_FILE_OPTIONS = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final FileAttribute<?> LOCK_FILE_MODE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> DIRECTORY_MODE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private static final Map<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Taken when the directory is unusable: closing it does nothing. */
    private static final AttachmentLock UNLOCKED = new AttachmentLock(null, null, null);

    private final Semaphore local;
    private final FileChannel channel;
    private final FileLock lock;

    private AttachmentLock(Semaphore local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Waits up to {@code wait} for the lock of (plugin, containerId, ifName) in {@code dir}
     * ({@link #DEFAULT_DIR} when null or empty).
     *
     * @throws CniException code 11 when another request held the lock all that time
     */
    public static AttachmentLock acquire(String dir, String plugin, String containerId, String ifName, Duration wait)
            throws CniException {
        String dirText = dir == null || dir.isEmpty() ? DEFAULT_DIR.toString() : dir;
        Path file;
        try {
            Path directory = Path.of(dirText);
            String problem = prepare(directory);
            if (problem != null) {
                return unlocked(dirText, problem);
            }
            file = stripeFile(directory, plugin, containerId, ifName);
        } catch (InvalidPathException e) {
            return unlocked(dirText, "the path cannot be represented in this JVM's file name encoding");
        }
        long deadline = System.nanoTime() + wait.toNanos();
        Semaphore local = semaphoreFor(file);
        try {
            if (!local.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw busy(containerId, ifName, file, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted while waiting for the lock of "
                    + containerId + "/" + ifName);
        }
        boolean held = false;
        FileChannel channel = null;
        try {
            channel = open(file);
            if (channel == null) {
                return unlocked(dirText, file + " is not a regular file");
            }
            FileLock lock = lockBefore(channel, deadline);
            if (lock == null) {
                throw busy(containerId, ifName, file, wait);
            }
            held = true;
            return new AttachmentLock(local, channel, lock);
        } catch (IOException e) {
            return unlocked(dirText, "cannot lock " + file + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted while waiting for the lock of "
                    + containerId + "/" + ifName);
        } finally {
            if (!held) {
                closeQuietly(channel);
                local.release();
            }
        }
    }

    /** The lock file of an attachment: {@code <dir>/<plugin>.<two hex digits>}. */
    static Path stripeFile(Path dir, String plugin, String containerId, String ifName) {
        if (plugin == null || !PLUGIN_NAME.matcher(plugin).matches()) {
            throw new IllegalArgumentException("not a plugin name: " + plugin);
        }
        CRC32 crc = new CRC32();
        crc.update((containerId + '\0' + ifName).getBytes(StandardCharsets.UTF_8));
        int stripe = (int) (crc.getValue() % STRIPES);
        return dir.resolve(plugin + "." + Character.forDigit(stripe >> 4, 16) + Character.forDigit(stripe & 0xf, 16));
    }

    /** Releases the lock; the file stays for the next request. */
    @Override
    public void close() {
        if (this == UNLOCKED) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it anyway
        }
        closeQuietly(channel);
        local.release();
    }

    /** Creates the directory 0700 if needed; what makes it unusable, or null. */
    private static String prepare(Path dir) {
        try {
            Map<String, Object> attributes;
            try {
                attributes = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                createPrivateDirectories(dir.toAbsolutePath());
                attributes = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            }
            int mode = (Integer) attributes.get("mode");
            if ((mode & 0170000) != 040000) {
                return dir + " is " + LogFile.typeName(mode) + ", not a directory";
            }
            int owner = (Integer) attributes.get("uid");
            int self = LogFile.ownUid();
            if (owner != self) {
                return dir + " is owned by uid " + owner + ", not by this process's uid " + self;
            }
            if ((mode & 0022) != 0) {
                return dir + " is writable by others (mode " + Integer.toOctalString(mode & 07777) + ")";
            }
            return null;
        } catch (IOException e) {
            return "cannot create " + dir + ": " + e;
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(dir, DIRECTORY_MODE);
        } catch (FileAlreadyExistsException e) {
            // made by a concurrent request; prepare checks what it is
        }
    }

    private static Semaphore semaphoreFor(Path file) {
        Semaphore existing = IN_JVM.get(file);
        if (existing != null) {
            return existing;
        }
        Semaphore created = new Semaphore(1, true);
        existing = IN_JVM.putIfAbsent(file, created);
        return existing == null ? created : existing;
    }

    /**
     * Opens (creating 0600) the lock file without following a symbolic link. Read-write, so that
     * even a FIFO planted in its place cannot block the open; null if it is not a regular file.
     */
    private static FileChannel open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, LOCK_FILE_OPTIONS, LOCK_FILE_MODE);
        int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0100000) {
            channel.close();
            return null;
        }
        return channel;
    }

    /** Polls for the exclusive lock (1 ms, doubling to 20 ms) until the deadline; null when it passed. */
    private static FileLock lockBefore(FileChannel channel, long deadline) throws IOException, InterruptedException {
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    private static AttachmentLock unlocked(String dir, String problem) {
        if (WARNED.add(dir)) {
            Log.warn("requests for one attachment are not serialised: " + problem + " (set " + DIR_ENV
                    + " to a private directory, or run as root)");
        }
        return UNLOCKED;
    }

    private static CniException busy(String containerId, String ifName, Path file, Duration wait) {
        return new CniException(CniException.TRY_AGAIN_LATER, "another request for " + containerId + "/" + ifName
                + " is still running after " + wait.toMillis() / 1000.0 + " s; try again later", "lock file " + file);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
