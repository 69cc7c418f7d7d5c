package dev.jcni.core.os.nft;

import dev.jcni.core.os.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns nft's error text into a typed {@link NftException}. Shared by every runner, so the
 * libnftables binding, the {@code nft} process and {@link FakeNftRunner} classify alike.
 *
 * <p>nftables 1.0.6 prints one message per failed command, each as
 * {@code <location>: Error: <text>} followed by a blank line; kernel failures read
 * {@code internal:0:0-0: Error: Could not process rule: <strerror>}, failures of nft's own
 * evaluation {@code ...: Error: No such file or directory; did you mean chain 'x' ...}, and
 * failures to understand the JSON {@code ...: Error: Unknown object passed to add command.}.
 * The kernel keeps processing a failed batch to report every error (then commits nothing), so
 * a batch may yield several messages: the first one that names a strerror decides the type.
 */
public final class NftErrors {
    private static final int[] KNOWN = {
        Errno.EEXIST, Errno.ENOENT, Errno.EBUSY, Errno.EOPNOTSUPP, Errno.EINVAL, Errno.EPERM,
        Errno.EACCES, Errno.ENOMEM, Errno.ENOSPC, Errno.ELOOP, Errno.ERANGE, Errno.EAFNOSUPPORT,
        Errno.EPROTONOSUPPORT, Errno.ENOBUFS, Errno.EMSGSIZE, Errno.EOVERFLOW, Errno.ENODEV,
        // nft reports EMLINK for jump loops and over-deep jumps.
        Errno.EMLINK,
    };
    private static final String ERROR_MARK = "Error: ";

    private NftErrors() {}

    /**
     * The exception for a failed command or batch.
     *
     * @param operation what was attempted, e.g. {@code "nft apply (12 commands)"}
     * @param batchJson the JSON sent, or null
     * @param errorText nft's error output (stderr or libnftables' error buffer)
     */
    public static NftException fromErrorText(String operation, String batchJson, String errorText) {
        String text = errorText == null ? "" : errorText;
        List<String> messages = messages(text);
        int errno = 0;
        for (String m : messages) {
            errno = errnoOf(m);
            if (errno != 0) {
                break;
            }
        }
        // No strerror at all: nft rejected the input itself (syntax, unknown object, evaluation).
        int code = errno == 0 ? Errno.EINVAL : errno;
        String first = messages.isEmpty() ? "nft failed without an error message" : messages.get(0);
        String message = operation + ": " + first + " (" + name(code) + ")";
        if (messages.size() > 1) {
            message = message + " and " + (messages.size() - 1) + " more error" + (messages.size() > 2 ? "s" : "");
        }
        // Errno's constants are table rows, not compile-time constants: an if chain, not a switch.
        if (code == Errno.EEXIST) {
            return new NftExistsException(operation, code, message, batchJson, text);
        }
        if (code == Errno.ENOENT) {
            return new NftNotFoundException(operation, code, message, batchJson, text);
        }
        if (code == Errno.EBUSY) {
            return new NftBusyException(operation, code, message, batchJson, text);
        }
        return new NftException(operation, code, message, batchJson, text);
    }

    /**
     * The exception for a runner that could not reach nftables at all: the {@code nft} program
     * would not start or was killed at its deadline, libnftables could not make a context. Always
     * a plain {@link NftException} with the errno of that failure, never the exists / not found /
     * busy subclasses: those say something about the ruleset, and a DEL that reads "not found"
     * as "already gone" must not take a missing {@code nft} binary for a missing chain.
     *
     * @param operation what was attempted, as for {@link #fromErrorText}
     * @param batchJson the JSON that was to be sent, or null
     * @param errno the cause, e.g. {@link Errno#ETIMEDOUT}
     * @param detail what went wrong, for the message and {@link NftException#errorText()}
     */
    public static NftException runnerFailure(String operation, String batchJson, int errno, String detail) {
        String message = operation + ": " + detail + " (" + name(errno) + ")";
        return new NftException(operation, errno, message, batchJson, detail);
    }

    /** The text nft prints for a kernel error on one command, e.g. for {@link Errno#EEXIST}. */
    static String kernelError(int errno) {
        return "internal:0:0-0: Error: Could not process rule: " + description(errno) + "\n\n";
    }

    /** The text nft prints when a list command names a missing object. */
    static String listError(int errno) {
        return "internal:0:0-0: Error: " + description(errno) + "\n\n";
    }

    /** Each error message without its location prefix; lines that are not messages are dropped. */
    static List<String> messages(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int at = line.indexOf(ERROR_MARK);
            if (at >= 0) {
                out.add(line.substring(at + ERROR_MARK.length()).trim());
            }
        }
        if (out.isEmpty() && !text.isBlank()) {
            out.add(text.strip().split("\n")[0]);
        }
        return out;
    }

    private static int errnoOf(String message) {
        for (int e : KNOWN) {
            if (message.contains(description(e))) {
                return e;
            }
        }
        return 0;
    }

    private static String description(int errno) {
        return Errno.description(errno);
    }

    private static String name(int errno) {
        return Errno.name(errno);
    }
}
