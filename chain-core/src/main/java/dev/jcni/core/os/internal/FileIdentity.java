package dev.jcni.core.os.internal;

/**
 * What makes a file itself: its device (major, minor) and inode number. Two descriptors or paths
 * with the same identity name the same file; for nsfs files, the same namespace.
 */
public final class FileIdentity {
    private final int devMajor;
    private final int devMinor;
    private final long inode;

    public FileIdentity(int devMajor, int devMinor, long inode) {
        this.devMajor = devMajor;
        this.devMinor = devMinor;
        this.inode = inode;
    }

    public long inode() {
        return inode;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileIdentity)) {
            return false;
        }
        FileIdentity other = (FileIdentity) o;
        return devMajor == other.devMajor && devMinor == other.devMinor && inode == other.inode;
    }

    @Override
    public int hashCode() {
        return (int) (inode ^ (inode >>> 32)) * 31 + devMajor * 257 + devMinor;
    }

    @Override
    public String toString() {
        return devMajor + ":" + devMinor + " inode " + inode;
    }
}
