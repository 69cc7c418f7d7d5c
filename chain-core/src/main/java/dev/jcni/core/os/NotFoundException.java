package dev.jcni.core.os;

/** The object does not exist (ENOENT, ENODEV, ESRCH, ENXIO): a link, a file, a namespace, a sysctl. */
public class NotFoundException extends OsException {
    public NotFoundException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
