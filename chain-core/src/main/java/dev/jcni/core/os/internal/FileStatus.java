package dev.jcni.core.os.internal;

/**
 * What statx(2) says about an open file that decides whether to trust its content: its type and
 * permission bits ({@code st_mode}), its owner and its size.
 */
public final class FileStatus {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    private final int mode;
    private final long uid;
    private final long size;

    public FileStatus(int mode, long uid, long size) {
        this.mode = mode;
        this.uid = uid;
        this.size = size;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** The file type in words, for messages: "a FIFO", "a character device"... */
    public String typeName() {
        switch (mode & S_IFMT) {
            case S_IFREG: return "a regular file";
            case S_IFDIR: return "a directory";
            case S_IFLNK: return "a symbolic link";
            case S_IFCHR: return "a character device";
            case S_IFBLK: return "a block device";
            case S_IFIFO: return "a FIFO";
            case S_IFSOCK: return "a socket";
            default: return "a file of unknown type";
        }
    }

    /** The permission bits (the low 12 bits of st_mode), e.g. 0600. */
    public int permissions() {
        return mode & 07777;
    }

    public long uid() {
        return uid;
    }

    public long size() {
        return size;
    }
}
