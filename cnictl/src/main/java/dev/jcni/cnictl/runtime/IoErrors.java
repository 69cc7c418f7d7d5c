package dev.jcni.cnictl.runtime;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * An I/O failure in an operator's words, for the details of an error: "permission denied" rather
 * than {@code java.nio.file.AccessDeniedException: /etc/…}.
 */
final class IoErrors {
    private IoErrors() {}

    /** The failure alone, for a message that names the file. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The failure and the file it happened on, for a message that names no file. */
    static String describeWithFile(IOException e) {
        String file = e instanceof FileSystemException ? ((FileSystemException) e).getFile() : null;
        return file == null ? describe(e) : file + ": " + describe(e);
    }
}
