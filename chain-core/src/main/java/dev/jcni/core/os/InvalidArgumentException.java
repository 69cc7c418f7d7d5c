package dev.jcni.core.os;

/** The kernel (or our own validation, before any syscall) rejected a value (EINVAL, ERANGE). */
public class InvalidArgumentException extends OsException {
    public InvalidArgumentException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
