package dev.jcni.hostlocal;

import dev.jcni.core.net.IpAddress;
import java.util.regex.Pattern;

/**
 * One file of the store named by an address: the address is leased, and the file's text says
 * to whom. The reference writes {@code <containerID>\r\n<ifname>}; its releases before 0.7 wrote
 * the container ID alone, which both plugins still accept as "any interface of that container".
 * Text is compared after Go's {@code strings.TrimSpace}, as the reference compares it.
 *
 * @param ip      the address (the file's name)
 * @param text    the file's text, trimmed; null when the file could not be read
 * @param refusal why the file was not read (a symbolic link, a FIFO, another owner's, too large,
 *                not UTF-8...), or null
 */
record Lease(IpAddress ip, String text, String refusal) {
    /** The separator the reference writes between container ID and interface name. */
    static final String LINE_BREAK = "\r\n";
    /** CNI_CONTAINERID's syntax, as the skel checks it. */
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");

    /** The bytes of a lease for this attachment, as the reference writes them. */
    static String content(String containerId, String ifName) {
        return GoText.trimSpace(containerId) + LINE_BREAK + ifName;
    }

    boolean isReadable() {
        return text != null;
    }

    /** Leased to this attachment, in the current format. */
    boolean isOwnedBy(String containerId, String ifName) {
        return text != null && text.equals(content(containerId, ifName));
    }

    /** Leased to this container in the format without an interface name. */
    boolean isLegacyOwnedBy(String containerId) {
        return text != null && text.equals(GoText.trimSpace(containerId));
    }

    /** Nothing in it: a writer died between creating and writing it (a store is only written under its lock). */
    boolean isEmpty() {
        return text != null && text.isEmpty();
    }

    /** The container ID it names, or null when the text is not a lease in either format. */
    String containerId() {
        if (text == null) {
            return null;
        }
        int cut = text.indexOf(LINE_BREAK);
        String id = cut < 0 ? text : text.substring(0, cut);
        return CONTAINER_ID.matcher(id).matches() && (cut < 0 || ifName() != null) ? id : null;
    }

    /** The interface name it names; null for the format without one, and for text that is no lease. */
    String ifName() {
        if (text == null) {
            return null;
        }
        int cut = text.indexOf(LINE_BREAK);
        if (cut < 0) {
            return null;
        }
        String name = text.substring(cut + LINE_BREAK.length());
        return name.isEmpty() || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 ? null : name;
    }
}
