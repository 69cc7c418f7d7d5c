package dev.jcni.core.os;

/** The caller lacks the privilege (EPERM, EACCES); plugins normally run as root, so this often means a read-only sysctl or a missing capability. */
public class PermissionException extends OsException {
    public PermissionException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
