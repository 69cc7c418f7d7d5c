package dev.jcni.core.os;

/**
 * Linux errno values (the asm-generic numbering used on x86_64 and aarch64) with their symbolic
 * names and glibc's strerror texts, so error messages need no native call to be built.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENODATA = 61;
    public static final int EPROTO = 71;
    public static final int EOVERFLOW = 75;
    public static final int ENOTSOCK = 88;
    public static final int EMSGSIZE = 90;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    private Errno() {}

    /** The symbolic name, e.g. {@code "EINVAL"}, or {@code "errno 123"} for a value not listed here. */
    public static String name(int errno) {
        switch (errno) {
            case EPERM: return "EPERM";
            case ENOENT: return "ENOENT";
            case ESRCH: return "ESRCH";
            case EINTR: return "EINTR";
            case EIO: return "EIO";
            case ENXIO: return "ENXIO";
            case EBADF: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case EACCES: return "EACCES";
            case EFAULT: return "EFAULT";
            case EBUSY: return "EBUSY";
            case EEXIST: return "EEXIST";
            case ENODEV: return "ENODEV";
            case ENOTDIR: return "ENOTDIR";
            case EISDIR: return "EISDIR";
            case EINVAL: return "EINVAL";
            case EMFILE: return "EMFILE";
            case ENOSPC: return "ENOSPC";
            case EROFS: return "EROFS";
            case ERANGE: return "ERANGE";
            case ENAMETOOLONG: return "ENAMETOOLONG";
            case ENOSYS: return "ENOSYS";
            case ENOTEMPTY: return "ENOTEMPTY";
            case ELOOP: return "ELOOP";
            case ENODATA: return "ENODATA";
            case EPROTO: return "EPROTO";
            case EOVERFLOW: return "EOVERFLOW";
            case ENOTSOCK: return "ENOTSOCK";
            case EMSGSIZE: return "EMSGSIZE";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            case EAFNOSUPPORT: return "EAFNOSUPPORT";
            case EADDRINUSE: return "EADDRINUSE";
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
            case ENETDOWN: return "ENETDOWN";
            case ENETUNREACH: return "ENETUNREACH";
            case ENOBUFS: return "ENOBUFS";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ECONNREFUSED: return "ECONNREFUSED";
            case EHOSTUNREACH: return "EHOSTUNREACH";
            case EALREADY: return "EALREADY";
            case EINPROGRESS: return "EINPROGRESS";
            default: return "errno " + errno;
        }
    }

    /** glibc's strerror text, e.g. {@code "Invalid argument"}; {@code "Unknown error N"} otherwise. */
    public static String description(int errno) {
        switch (errno) {
            case EPERM: return "Operation not permitted";
            case ENOENT: return "No such file or directory";
            case ESRCH: return "No such process";
            case EINTR: return "Interrupted system call";
            case EIO: return "Input/output error";
            case ENXIO: return "No such device or address";
            case EBADF: return "Bad file descriptor";
            case EAGAIN: return "Resource temporarily unavailable";
            case ENOMEM: return "Cannot allocate memory";
            case EACCES: return "Permission denied";
            case EFAULT: return "Bad address";
            case EBUSY: return "Device or resource busy";
            case EEXIST: return "File exists";
            case ENODEV: return "No such device";
            case ENOTDIR: return "Not a directory";
            case EISDIR: return "Is a directory";
            case EINVAL: return "Invalid argument";
            case EMFILE: return "Too many open files";
            case ENOSPC: return "No space left on device";
            case EROFS: return "Read-only file system";
            case ERANGE: return "Numerical result out of range";
            case ENAMETOOLONG: return "File name too long";
            case ENOSYS: return "Function not implemented";
            case ENOTEMPTY: return "Directory not empty";
            case ELOOP: return "Too many levels of symbolic links";
            case ENODATA: return "No data available";
            case EPROTO: return "Protocol error";
            case EOVERFLOW: return "Value too large for defined data type";
            case ENOTSOCK: return "Socket operation on non-socket";
            case EMSGSIZE: return "Message too long";
            case EPROTONOSUPPORT: return "Protocol not supported";
            case EOPNOTSUPP: return "Operation not supported";
            case EAFNOSUPPORT: return "Address family not supported by protocol";
            case EADDRINUSE: return "Address already in use";
            case EADDRNOTAVAIL: return "Cannot assign requested address";
            case ENETDOWN: return "Network is down";
            case ENETUNREACH: return "Network is unreachable";
            case ENOBUFS: return "No buffer space available";
            case ETIMEDOUT: return "Connection timed out";
            case ECONNREFUSED: return "Connection refused";
            case EHOSTUNREACH: return "No route to host";
            case EALREADY: return "Operation already in progress";
            case EINPROGRESS: return "Operation now in progress";
            default: return "Unknown error " + errno;
        }
    }
}
