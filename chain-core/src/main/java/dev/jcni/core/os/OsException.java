package dev.jcni.core.os;

/**
 * A kernel or libc operation failed. Carries the errno and a description of the operation, so a
 * plugin can both branch on the cause (through the subclasses) and report what it was doing.
 *
 * <p>Build instances through {@link #fromErrno}, which picks the subclass callers catch:
 * {@link NotFoundException}, {@link ExistsException}, {@link PermissionException},
 * {@link BusyException}, {@link InvalidArgumentException}; other errnos stay a plain OsException.
 */
public class OsException extends Exception {
    private final String operation;
    private final int errno;

    public OsException(String operation, int errno, String message) {
        super(message);
        this.operation = operation;
        this.errno = errno;
    }

    /** The errno (positive), e.g. {@link Errno#EINVAL}. */
    public int errno() {
        return errno;
    }

    /** What was attempted, e.g. {@code "RTM_NEWLINK set mtu 9000 on eth0"}. */
    public String operation() {
        return operation;
    }

    /** Same as {@code fromErrno(operation, errno, null)}. */
    public static OsException fromErrno(String operation, int errno) {
        return fromErrno(operation, errno, null);
    }

    /**
     * The exception for {@code errno}, with the message
     * {@code "<operation>: <strerror> (<ENAME>)[: <detail>]"}, e.g.
     * {@code "RTM_NEWLINK set mtu on eth0: Invalid argument (EINVAL)"}.
     *
     * @param detail extra text from the kernel (a netlink extended ACK) or the caller; may be null
     */
    public static OsException fromErrno(String operation, int errno, String detail) {
        String message = operation + ": " + Errno.description(errno) + " (" + Errno.name(errno) + ")";
        if (detail != null && !detail.isEmpty()) {
            message = message + ": " + detail;
        }
        return create(operation, errno, message);
    }

    /**
     * The same failure described as a different operation (e.g. with an interface name that was
     * only looked up after the failure); the original becomes the cause.
     */
    public OsException withOperation(String newOperation) {
        String message = getMessage();
        String rest = message != null && message.startsWith(operation) ? message.substring(operation.length()) : ": " + message;
        OsException renamed = create(newOperation, errno, newOperation + rest);
        renamed.initCause(this);
        return renamed;
    }

    /**
     * The one place that decides which exception an errno becomes: the causes callers branch on
     * get a subclass, every other errno stays a plain OsException.
     */
    private static OsException create(String operation, int errno, String message) {
        if (errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ESRCH || errno == Errno.ENXIO) {
            return new NotFoundException(operation, errno, message);
        }
        if (errno == Errno.EEXIST) {
            return new ExistsException(operation, errno, message);
        }
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            return new PermissionException(operation, errno, message);
        }
        if (errno == Errno.EBUSY) {
            return new BusyException(operation, errno, message);
        }
        if (errno == Errno.EINVAL || errno == Errno.ERANGE) {
            return new InvalidArgumentException(operation, errno, message);
        }
        return new OsException(operation, errno, message);
    }
}
