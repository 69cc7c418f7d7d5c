package dev.jcni.core.os;

/**
 * Linux errno values (the asm-generic numbering of x86_64 and aarch64): one row per errno with its
 * number, symbolic name and glibc's strerror text, so error messages need no native call. Each
 * row is also the int constant callers compare with. Which exception an errno becomes is decided
 * in {@link OsException}, not here.
 */
public final class Errno {
    /** The highest errno Linux defines (EHWPOISON). */
    private static final int MAX = 133;
    private static final Row[] BY_NUMBER = new Row[MAX + 1];

    private static final class Row {
        final String name;
        final String text;

        Row(String name, String text) {
            this.name = name;
            this.text = text;
        }
    }

    // The table. Numbers 41 and 58 are unused on Linux. Aliases (EWOULDBLOCK = EAGAIN,
    // EDEADLOCK = EDEADLK, ENOTSUP = EOPNOTSUPP) are named by their canonical row.
    public static final int EPERM = row(1, "EPERM", "Operation not permitted");
    public static final int ENOENT = row(2, "ENOENT", "No such file or directory");
    public static final int ESRCH = row(3, "ESRCH", "No such process");
    public static final int EINTR = row(4, "EINTR", "Interrupted system call");
    public static final int EIO = row(5, "EIO", "Input/output error");
    public static final int ENXIO = row(6, "ENXIO", "No such device or address");
    public static final int E2BIG = row(7, "E2BIG", "Argument list too long");
    public static final int ENOEXEC = row(8, "ENOEXEC", "Exec format error");
    public static final int EBADF = row(9, "EBADF", "Bad file descriptor");
    public static final int ECHILD = row(10, "ECHILD", "No child processes");
    public static final int EAGAIN = row(11, "EAGAIN", "Resource temporarily unavailable");
    public static final int ENOMEM = row(12, "ENOMEM", "Cannot allocate memory");
    public static final int EACCES = row(13, "EACCES", "Permission denied");
    public static final int EFAULT = row(14, "EFAULT", "Bad address");
    public static final int ENOTBLK = row(15, "ENOTBLK", "Block device required");
    public static final int EBUSY = row(16, "EBUSY", "Device or resource busy");
    public static final int EEXIST = row(17, "EEXIST", "File exists");
    public static final int EXDEV = row(18, "EXDEV", "Invalid cross-device link");
    public static final int ENODEV = row(19, "ENODEV", "No such device");
    public static final int ENOTDIR = row(20, "ENOTDIR", "Not a directory");
    public static final int EISDIR = row(21, "EISDIR", "Is a directory");
    public static final int EINVAL = row(22, "EINVAL", "Invalid argument");
    public static final int ENFILE = row(23, "ENFILE", "Too many open files in system");
    public static final int EMFILE = row(24, "EMFILE", "Too many open files");
    public static final int ENOTTY = row(25, "ENOTTY", "Inappropriate ioctl for device");
    public static final int ETXTBSY = row(26, "ETXTBSY", "Text file busy");
    public static final int EFBIG = row(27, "EFBIG", "File too large");
    public static final int ENOSPC = row(28, "ENOSPC", "No space left on device");
    public static final int ESPIPE = row(29, "ESPIPE", "Illegal seek");
    public static final int EROFS = row(30, "EROFS", "Read-only file system");
    public static final int EMLINK = row(31, "EMLINK", "Too many links");
    public static final int EPIPE = row(32, "EPIPE", "Broken pipe");
    public static final int EDOM = row(33, "EDOM", "Numerical argument out of domain");
    public static final int ERANGE = row(34, "ERANGE", "Numerical result out of range");
    public static final int EDEADLK = row(35, "EDEADLK", "Resource deadlock avoided");
    public static final int ENAMETOOLONG = row(36, "ENAMETOOLONG", "File name too long");
    public static final int ENOLCK = row(37, "ENOLCK", "No locks available");
    public static final int ENOSYS = row(38, "ENOSYS", "Function not implemented");
    public static final int ENOTEMPTY = row(39, "ENOTEMPTY", "Directory not empty");
    public static final int ELOOP = row(40, "ELOOP", "Too many levels of symbolic links");
    public static final int ENOMSG = row(42, "ENOMSG", "No message of desired type");
    public static final int EIDRM = row(43, "EIDRM", "Identifier removed");
    public static final int ECHRNG = row(44, "ECHRNG", "Channel number out of range");
    public static final int EL2NSYNC = row(45, "EL2NSYNC", "Level 2 not synchronized");
    public static final int EL3HLT = row(46, "EL3HLT", "Level 3 halted");
    public static final int EL3RST = row(47, "EL3RST", "Level 3 reset");
    public static final int ELNRNG = row(48, "ELNRNG", "Link number out of range");
    public static final int EUNATCH = row(49, "EUNATCH", "Protocol driver not attached");
    public static final int ENOCSI = row(50, "ENOCSI", "No CSI structure available");
    public static final int EL2HLT = row(51, "EL2HLT", "Level 2 halted");
    public static final int EBADE = row(52, "EBADE", "Invalid exchange");
    public static final int EBADR = row(53, "EBADR", "Invalid request descriptor");
    public static final int EXFULL = row(54, "EXFULL", "Exchange full");
    public static final int ENOANO = row(55, "ENOANO", "No anode");
    public static final int EBADRQC = row(56, "EBADRQC", "Invalid request code");
    public static final int EBADSLT = row(57, "EBADSLT", "Invalid slot");
    public static final int EBFONT = row(59, "EBFONT", "Bad font file format");
    public static final int ENOSTR = row(60, "ENOSTR", "Device not a stream");
    public static final int ENODATA = row(61, "ENODATA", "No data available");
    public static final int ETIME = row(62, "ETIME", "Timer expired");
    public static final int ENOSR = row(63, "ENOSR", "Out of streams resources");
    public static final int ENONET = row(64, "ENONET", "Machine is not on the network");
    public static final int ENOPKG = row(65, "ENOPKG", "Package not installed");
    public static final int EREMOTE = row(66, "EREMOTE", "Object is remote");
    public static final int ENOLINK = row(67, "ENOLINK", "Link has been severed");
    public static final int EADV = row(68, "EADV", "Advertise error");
    public static final int ESRMNT = row(69, "ESRMNT", "Srmount error");
    public static final int ECOMM = row(70, "ECOMM", "Communication error on send");
    public static final int EPROTO = row(71, "EPROTO", "Protocol error");
    public static final int EMULTIHOP = row(72, "EMULTIHOP", "Multihop attempted");
    public static final int EDOTDOT = row(73, "EDOTDOT", "RFS specific error");
    public static final int EBADMSG = row(74, "EBADMSG", "Bad message");
    public static final int EOVERFLOW = row(75, "EOVERFLOW", "Value too large for defined data type");
    public static final int ENOTUNIQ = row(76, "ENOTUNIQ", "Name not unique on network");
    public static final int EBADFD = row(77, "EBADFD", "File descriptor in bad state");
    public static final int EREMCHG = row(78, "EREMCHG", "Remote address changed");
    public static final int ELIBACC = row(79, "ELIBACC", "Can not access a needed shared library");
    public static final int ELIBBAD = row(80, "ELIBBAD", "Accessing a corrupted shared library");
    public static final int ELIBSCN = row(81, "ELIBSCN", ".lib section in a.out corrupted");
    public static final int ELIBMAX = row(82, "ELIBMAX", "Attempting to link in too many shared libraries");
    public static final int ELIBEXEC = row(83, "ELIBEXEC", "Cannot exec a shared library directly");
    public static final int EILSEQ = row(84, "EILSEQ", "Invalid or incomplete multibyte or wide character");
    public static final int ERESTART = row(85, "ERESTART", "Interrupted system call should be restarted");
    public static final int ESTRPIPE = row(86, "ESTRPIPE", "Streams pipe error");
    public static final int EUSERS = row(87, "EUSERS", "Too many users");
    public static final int ENOTSOCK = row(88, "ENOTSOCK", "Socket operation on non-socket");
    public static final int EDESTADDRREQ = row(89, "EDESTADDRREQ", "Destination address required");
    public static final int EMSGSIZE = row(90, "EMSGSIZE", "Message too long");
    public static final int EPROTOTYPE = row(91, "EPROTOTYPE", "Protocol wrong type for socket");
    public static final int ENOPROTOOPT = row(92, "ENOPROTOOPT", "Protocol not available");
    public static final int EPROTONOSUPPORT = row(93, "EPROTONOSUPPORT", "Protocol not supported");
    public static final int ESOCKTNOSUPPORT = row(94, "ESOCKTNOSUPPORT", "Socket type not supported");
    public static final int EOPNOTSUPP = row(95, "EOPNOTSUPP", "Operation not supported");
    public static final int EPFNOSUPPORT = row(96, "EPFNOSUPPORT", "Protocol family not supported");
    public static final int EAFNOSUPPORT = row(97, "EAFNOSUPPORT", "Address family not supported by protocol");
    public static final int EADDRINUSE = row(98, "EADDRINUSE", "Address already in use");
    public static final int EADDRNOTAVAIL = row(99, "EADDRNOTAVAIL", "Cannot assign requested address");
    public static final int ENETDOWN = row(100, "ENETDOWN", "Network is down");
    public static final int ENETUNREACH = row(101, "ENETUNREACH", "Network is unreachable");
    public static final int ENETRESET = row(102, "ENETRESET", "Network dropped connection on reset");
    public static final int ECONNABORTED = row(103, "ECONNABORTED", "Software caused connection abort");
    public static final int ECONNRESET = row(104, "ECONNRESET", "Connection reset by peer");
    public static final int ENOBUFS = row(105, "ENOBUFS", "No buffer space available");
    public static final int EISCONN = row(106, "EISCONN", "Transport endpoint is already connected");
    public static final int ENOTCONN = row(107, "ENOTCONN", "Transport endpoint is not connected");
    public static final int ESHUTDOWN = row(108, "ESHUTDOWN", "Cannot send after transport endpoint shutdown");
    public static final int ETOOMANYREFS = row(109, "ETOOMANYREFS", "Too many references: cannot splice");
    public static final int ETIMEDOUT = row(110, "ETIMEDOUT", "Connection timed out");
    public static final int ECONNREFUSED = row(111, "ECONNREFUSED", "Connection refused");
    public static final int EHOSTDOWN = row(112, "EHOSTDOWN", "Host is down");
    public static final int EHOSTUNREACH = row(113, "EHOSTUNREACH", "No route to host");
    public static final int EALREADY = row(114, "EALREADY", "Operation already in progress");
    public static final int EINPROGRESS = row(115, "EINPROGRESS", "Operation now in progress");
    public static final int ESTALE = row(116, "ESTALE", "Stale file handle");
    public static final int EUCLEAN = row(117, "EUCLEAN", "Structure needs cleaning");
    public static final int ENOTNAM = row(118, "ENOTNAM", "Not a XENIX named type file");
    public static final int ENAVAIL = row(119, "ENAVAIL", "No XENIX semaphores available");
    public static final int EISNAM = row(120, "EISNAM", "Is a named type file");
    public static final int EREMOTEIO = row(121, "EREMOTEIO", "Remote I/O error");
    public static final int EDQUOT = row(122, "EDQUOT", "Disk quota exceeded");
    public static final int ENOMEDIUM = row(123, "ENOMEDIUM", "No medium found");
    public static final int EMEDIUMTYPE = row(124, "EMEDIUMTYPE", "Wrong medium type");
    public static final int ECANCELED = row(125, "ECANCELED", "Operation canceled");
    public static final int ENOKEY = row(126, "ENOKEY", "Required key not available");
    public static final int EKEYEXPIRED = row(127, "EKEYEXPIRED", "Key has expired");
    public static final int EKEYREVOKED = row(128, "EKEYREVOKED", "Key has been revoked");
    public static final int EKEYREJECTED = row(129, "EKEYREJECTED", "Key was rejected by service");
    public static final int EOWNERDEAD = row(130, "EOWNERDEAD", "Owner died");
    public static final int ENOTRECOVERABLE = row(131, "ENOTRECOVERABLE", "State not recoverable");
    public static final int ERFKILL = row(132, "ERFKILL", "Operation not possible due to RF-kill");
    public static final int EHWPOISON = row(133, "EHWPOISON", "Memory page has hardware error");

    private Errno() {}

    private static int row(int number, String name, String text) {
        if (BY_NUMBER[number] != null) {
            throw new AssertionError("errno " + number + " listed twice: " + BY_NUMBER[number].name + ", " + name);
        }
        BY_NUMBER[number] = new Row(name, text);
        return number;
    }

    private static Row find(int errno) {
        return errno > 0 && errno <= MAX ? BY_NUMBER[errno] : null;
    }

    /** The symbolic name, e.g. {@code "EINVAL"}, or {@code "errno 123"} for a value not in the table. */
    public static String name(int errno) {
        Row r = find(errno);
        return r != null ? r.name : "errno " + errno;
    }

    /** glibc's strerror text, e.g. {@code "Invalid argument"}; {@code "Unknown error N"} otherwise, as glibc says. */
    public static String description(int errno) {
        Row r = find(errno);
        return r != null ? r.text : "Unknown error " + errno;
    }
}
