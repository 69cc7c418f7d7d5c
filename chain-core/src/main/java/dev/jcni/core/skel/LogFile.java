package dev.jcni.core.skel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Opens the node's log file ({@code JCNI_LOG_FILE}) for appending, as a root process must open a
 * path it did not create: only a file that is plainly a log can be opened, so a mistake or a
 * planted entry cannot make the plugin write into a host file, a kernel control or a pipe.
 *
 * <p>The file is created (mode 0600, {@code O_EXCL}) when absent, and otherwise opened only if it
 * is a regular file (not a symbolic link, FIFO, device or directory: the type is checked before
 * the open, and {@code O_NOFOLLOW} holds at the open), owned by this process's user, with one
 * link (a hard link to {@code /etc/shadow} is owned by root too). Its directory must not be
 * writable by others unless it is sticky ({@code /tmp}): then nobody else can swap the checked
 * file for a FIFO between the check and the open, and an {@code O_EXCL} create cannot block.
 * (Java cannot open with {@code O_NONBLOCK}; these rules are what keeps the open from blocking.)
 * Nothing on a kernel file system ({@code /proc}, {@code /sys}, cgroup...) is ever a log file:
 * the file system is checked, not only the path, so a bind mount does not get around it.
 */
final class LogFile {
    /** File systems whose files are kernel controls, not storage. */
    private static final Set<String> KERNEL_FILE_SYSTEMS = Set.of("proc", "sysfs", "cgroup", "cgroup2", "debugfs",
            "tracefs", "securityfs", "configfs", "bpf", "efivarfs", "pstore", "fusectl", "binfmt_misc", "devtmpfs",
            "nsfs", "selinuxfs");
    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    /** Why a path was not opened; the message completes "ignoring JCNI_LOG_FILE ...: ". */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    private LogFile() {}

    /** The file at {@code text}, open for appending. */
    static FileChannel open(String text) throws Refused {
        Path path;
        try {
            path = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new Refused("the path cannot be represented in this JVM's file name encoding");
        }
        if (path.startsWith("/proc") || path.startsWith("/sys")) {
            throw new Refused("files under /proc and /sys are kernel settings, not logs");
        }
        Path parent = path.getParent();
        if (parent == null) {
            throw new Refused("it is not a file");
        }
        try {
            checkDirectory(parent);
            for (int attempt = 0; ; attempt++) {
                Map<String, Object> attributes;
                try {
                    attributes = Files.readAttributes(path, "unix:mode,uid,nlink", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    checkFileSystem(parent);
                    try {
                        return FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    } catch (FileAlreadyExistsException raced) {
                        if (attempt > 0) {
                            throw new Refused("it keeps appearing and disappearing");
                        }
                        continue; // another plugin process created it just now: check what it is
                    }
                }
                checkExisting(attributes);
                checkFileSystem(path);
                return FileChannel.open(path, Set.<OpenOption>of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                        LinkOption.NOFOLLOW_LINKS));
            }
        } catch (IOException e) {
            throw new Refused(e.toString());
        }
    }

    private static void checkDirectory(Path dir) throws IOException, Refused {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(dir, "unix:mode");
        } catch (NoSuchFileException e) {
            throw new Refused("its directory does not exist");
        }
        int mode = (Integer) attributes.get("mode");
        if ((mode & TYPE_MASK) != 040000) {
            throw new Refused(dir + " is not a directory");
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0 && (mode & STICKY) == 0) {
            throw new Refused("its directory " + dir + " is writable by others and not sticky (mode "
                    + Integer.toOctalString(mode & 07777) + ")");
        }
    }

    private static void checkExisting(Map<String, Object> attributes) throws IOException, Refused {
        int mode = (Integer) attributes.get("mode");
        if ((mode & TYPE_MASK) != REGULAR) {
            throw new Refused("it is " + typeName(mode) + ", not a regular file");
        }
        int owner = (Integer) attributes.get("uid");
        int self = ownUid();
        if (owner != self) {
            throw new Refused("it is owned by uid " + owner + ", not by this process's uid " + self);
        }
        int links = (Integer) attributes.get("nlink");
        if (links != 1) {
            throw new Refused("it has " + links + " hard links");
        }
    }

    private static void checkFileSystem(Path existing) throws Refused {
        String type;
        try {
            type = Files.getFileStore(existing).type();
        } catch (IOException e) {
            throw new Refused("cannot tell which file system it is on: " + e.getMessage());
        }
        if (KERNEL_FILE_SYSTEMS.contains(type)) {
            throw new Refused("it is on a kernel file system (" + type + "), whose files are settings, not logs");
        }
    }

    /** This process's effective uid, read once: it does not change, and every locked request asks. */
    private static volatile Integer ownUid;

    /** The effective uid: /proc/self belongs to it. */
    static int ownUid() throws IOException {
        Integer uid = ownUid;
        if (uid == null) {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            ownUid = uid;
        }
        return uid;
    }

    static String typeName(int mode) {
        switch (mode & TYPE_MASK) {
            case 0120000:
                return "a symbolic link";
            case 0010000:
                return "a FIFO";
            case 0020000:
                return "a character device";
            case 0060000:
                return "a block device";
            case 0040000:
                return "a directory";
            case 0140000:
                return "a socket";
            default:
                return "a file of mode " + Integer.toOctalString(mode);
        }
    }
}
