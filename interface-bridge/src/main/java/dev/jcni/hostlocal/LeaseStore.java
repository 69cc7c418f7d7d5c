package dev.jcni.hostlocal;

import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.os.fs.Flock;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.StateDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One network's leases on disk, in the reference host-local's format, so either plugin reads and
 * releases what the other wrote (docs/host-local.md, "Store"):
 *
 * <pre>
 * &lt;dataDir&gt;/&lt;network&gt;/
 *   10.1.0.2               "&lt;containerID&gt;\r\n&lt;ifname&gt;" (no newline at the end); one file per leased address
 *   2001:db8::2            the same, named by the address as Go prints it
 *   last_reserved_ip.0     "10.1.0.2": the last address taken from range set 0 (round robin)
 *   lock                   empty; flock(2) on it serialises every reader and writer, ours and the reference's
 * </pre>
 *
 * <p>A store is used under its lock, taken when it is opened ({@link #create}, {@link #openExisting}).
 * Leases are created with O_EXCL, as the reference creates them; the round-robin file is replaced
 * through a rename. Everything read back is untrusted input ({@link StateDirectory#read}): a lease
 * that is a symbolic link, a FIFO, another user's file, too large or not text is never followed,
 * waited on or matched, and its address counts as taken. Only entries named by an address in Go's
 * canonical form are leases: nothing else in the directory is ever released.
 */
final class LeaseStore implements AutoCloseable {
    static final String LOCK_FILE = "lock";
    static final String LAST_RESERVED_PREFIX = "last_reserved_ip.";
    /** A lease holds a container ID and an interface name: far below this. */
    static final int MAX_LEASE_BYTES = 4096;
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> LEASE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** Where a network's store is: {@code <dataDir>/<network>}. */
    record Location(String dataDir, String network) {
        Path dir() {
            return Path.of(dataDir).resolve(network);
        }
    }

    private final Path dir;
    private final StateDirectory files;
    private final Flock lock;

    private LeaseStore(Path dir, Flock lock) {
        this.dir = dir;
        this.files = new StateDirectory(dir.toString(), MAX_LEASE_BYTES);
        this.lock = lock;
    }

    /** ADD's store: the directory is created (0700) when missing; locked, waiting at most {@code wait}. */
    static LeaseStore create(Location location, Duration wait) throws CniException {
        Path dir = location.dir();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
            } catch (IOException e) {
                throw new CniException(CniException.PLUGIN_FAILURE, "cannot create the lease store " + dir, e.toString());
            }
        }
        requireUsable(dir);
        return new LeaseStore(dir, lock(dir, wait, false));
    }

    /**
     * The store of DEL, CHECK and GC, locked; null when the directory does not exist (nothing is
     * leased), which creates nothing. With {@code unlockedIfNeeded}, a lock file that cannot be
     * used (not a regular file, flock(2) failing) is a warning and the store is used without it: a
     * lock must never make DEL impossible. A lock another request holds is waited for all the same.
     */
    static LeaseStore openExisting(Location location, Duration wait, boolean unlockedIfNeeded) throws CniException {
        Path dir = location.dir();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        requireUsable(dir);
        return new LeaseStore(dir, lock(dir, wait, unlockedIfNeeded));
    }

    /**
     * The store as it is, for reading without its lock (STATUS: a snapshot is enough to report a
     * pool's use); null when the directory does not exist. The caller has found no
     * {@link #problem} with it (STATUS reports one as code 50).
     */
    static LeaseStore snapshot(Location location) {
        Path dir = location.dir();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return new LeaseStore(dir, null);
    }

    /**
     * What makes {@code dir} unusable as a store, or null: it must be a directory (not a link to
     * one), of our user, that nobody else may write. The reference creates it 0755, which passes.
     */
    static String problem(Path dir) {
        try {
            Map<String, Object> attributes = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            if ((mode & 0170000) != 0040000) {
                return "it is not a directory" + ((mode & 0170000) == 0120000 ? " but a symbolic link" : "");
            }
            int owner = (Integer) attributes.get("uid");
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (owner != self) {
                return "it is owned by uid " + owner + ", not by this process's uid " + self;
            }
            if ((mode & 0022) != 0) {
                return "others may write it (mode " + Integer.toOctalString(mode & 07777) + ")";
            }
            return null;
        } catch (IOException e) {
            return "it cannot be inspected: " + e;
        }
    }

    private static void requireUsable(Path dir) throws CniException {
        String problem = problem(dir);
        if (problem != null) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot use the lease store " + dir + ": " + problem,
                    "leases are kept in a directory only this user may change");
        }
    }

    private static Flock lock(Path dir, Duration wait, boolean unlockedIfNeeded) throws CniException {
        String file = dir.resolve(LOCK_FILE).toString();
        Flock flock;
        try {
            flock = Flock.open(file);
        } catch (OsException e) {
            if (unlockedIfNeeded) {
                Log.warn("lease store " + dir + " used without its lock: " + e.getMessage());
                return null;
            }
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot lock the lease store " + dir, e.getMessage());
        }
        try {
            if (flock.lockExclusive(wait)) {
                return flock;
            }
        } catch (OsException e) {
            flock.close();
            if (unlockedIfNeeded) {
                Log.warn("lease store " + dir + " used without its lock: " + e.getMessage());
                return null;
            }
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot lock the lease store " + dir, e.getMessage());
        } catch (InterruptedException e) {
            flock.close();
            Thread.currentThread().interrupt();
            throw new CniException(CniException.TRY_AGAIN_LATER, "interrupted while waiting for the lease store " + dir);
        }
        flock.close();
        throw new CniException(CniException.TRY_AGAIN_LATER, "the lease store " + dir + " is still locked after "
                + wait.toMillis() / 1000.0 + " s; try again later", "lock file " + file);
    }

    Path dir() {
        return dir;
    }

    /** Every lease: the entries named by an address, read as untrusted input. */
    List<Lease> leases() throws CniException {
        List<Lease> out = new ArrayList<>();
        for (String name : files.list("")) {
            IpAddress ip = leaseAddress(name);
            if (ip != null) {
                out.add(read(ip, name));
            }
        }
        return out;
    }

    /** The address a lease file of this name holds, or null when the name is not one (lock, last_reserved_ip.0...). */
    static IpAddress leaseAddress(String name) {
        char c = name.isEmpty() ? ' ' : name.charAt(0);
        if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && c != ':') {
            return null; // cheap refusal of the common non-lease names
        }
        try {
            IpAddress ip = IpAddress.parse(name);
            return ip.toString().equals(name) ? ip : null;
        } catch (AddressFormatException e) {
            return null;
        }
    }

    private Lease read(IpAddress ip, String name) {
        FileRead read = files.read(name);
        if (read.isAbsent()) {
            return new Lease(ip, null, "vanished while the store was read");
        }
        if (read.isRefused()) {
            return new Lease(ip, null, read.reason());
        }
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(read.content()));
            return new Lease(ip, GoText.trimSpace(text.toString()), null);
        } catch (CharacterCodingException e) {
            return new Lease(ip, null, "is not UTF-8 text");
        }
    }

    /**
     * Leases {@code ip} to the attachment: creates its file exclusively, as the reference does.
     * False when the address already has a file (of any kind: nothing is followed or replaced).
     */
    boolean reserve(IpAddress ip, String containerId, String ifName) throws CniException {
        Path file = files.file(ip.toString());
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), LEASE_MODE);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot lease " + ip, e.toString());
        }
        try (SeekableByteChannel out = channel) {
            ByteBuffer buf = ByteBuffer.wrap(Lease.content(containerId, ifName).getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException e) {
            files.delete(file.getFileName().toString());
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot lease " + ip, e.toString());
        }
        return true;
    }

    /** Removes the lease of {@code ip}; false (logged) when it cannot be removed. */
    boolean release(IpAddress ip) {
        return files.delete(ip.toString());
    }

    /**
     * The address recorded for round robin in range set {@code index}, or null: absent, not an
     * address, or a file that cannot be trusted. Parsed exactly as the reference parses it
     * (no trimming), so both plugins continue from the same place.
     */
    IpAddress lastReserved(int index) {
        FileRead read = files.read(LAST_RESERVED_PREFIX + index);
        if (read.isRefused()) {
            Log.warn("ignoring " + read.path() + ": " + read.reason());
        }
        if (read.kind() != FileRead.Kind.CONTENT) {
            return null;
        }
        try {
            return IpAddress.parse(new String(read.content(), StandardCharsets.UTF_8));
        } catch (AddressFormatException e) {
            return null;
        }
    }

    /**
     * Records {@code ip} (null: removes the record) as the last address taken from range set
     * {@code index}. In place, as the reference writes it: a hint rewritten on every ADD, read
     * back validated ({@link #lastReserved}), that a crash may at worst make unreadable.
     */
    void recordLastReserved(int index, IpAddress ip) throws CniException {
        String name = LAST_RESERVED_PREFIX + index;
        if (ip == null) {
            files.delete(name);
        } else {
            files.overwrite(name, ip.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Releases the lock (closing its descriptor); the lock file stays. */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
    }
}
