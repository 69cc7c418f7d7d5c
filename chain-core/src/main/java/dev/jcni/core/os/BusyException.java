package dev.jcni.core.os;

/** The object is in use (EBUSY). */
public class BusyException extends OsException {
    public BusyException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
