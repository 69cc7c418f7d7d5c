package dev.jcni.core.os;

/** The object already exists (EEXIST). */
public class ExistsException extends OsException {
    public ExistsException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
