package dev.jcni.core.os.nft;

import java.nio.charset.StandardCharsets;

/**
 * Validation of the strings a batch carries: object names, comments and free-text values.
 *
 * <p>nft's JSON parser accepts anything in a name or comment (a table named {@code a b}, a chain
 * named {@code x;{}"}), and the kernel stores it; but nft's text output then cannot be read
 * back ({@code nft list ruleset | nft -f -} fails), and an operator cannot address the object
 * from a shell. So names are held to the characters nft's own scanner reads unquoted, and
 * comments to what its quoted strings can hold and its 128-byte limit (which JSON input does
 * not enforce).
 */
public final class NftNames {
    /** The kernel's NFT_NAME_MAXLEN (256) less the terminating NUL. */
    public static final int MAX_NAME_BYTES = 255;
    /** nft's NFTNL_UDATA_COMMENT_MAXLEN: longer comments make the listing unreadable for nft -f. */
    public static final int MAX_COMMENT_BYTES = 128;

    private NftNames() {}

    /**
     * A table, chain or set name: a letter, {@code _} or {@code .}, then letters, digits,
     * {@code _ . - /}; at most {@value #MAX_NAME_BYTES} bytes. Returns {@code name}.
     *
     * @param what what the name names, for the error message (e.g. "chain name")
     */
    public static String name(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new NftModelException(what + " must not be empty");
        }
        if (name.length() > MAX_NAME_BYTES) {
            throw new NftModelException(what + " is longer than " + MAX_NAME_BYTES + " characters: " + shown(name));
        }
        char first = name.charAt(0);
        if (!(isLetter(first) || first == '_' || first == '.')) {
            throw new NftModelException(what + " must start with a letter, '_' or '.': " + shown(name));
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '/')) {
                throw new NftModelException(what + " may hold only letters, digits and _ . - /: " + shown(name));
            }
        }
        return name;
    }

    /** A rule or element comment: at most {@value #MAX_COMMENT_BYTES} UTF-8 bytes, no control character, no {@code "}. */
    public static String comment(String comment) {
        return text("comment", comment, MAX_COMMENT_BYTES);
    }

    /**
     * Free text nft prints inside double quotes (a comment, a log prefix): non-empty, at most
     * {@code maxBytes} UTF-8 bytes, no NUL or other control character, no {@code "}.
     */
    public static String text(String what, String value, int maxBytes) {
        if (value == null || value.isEmpty()) {
            throw new NftModelException(what + " must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new NftModelException(what + " must not contain control characters (found U+"
                        + String.format("%04X", (int) c) + " at " + i + ")");
            }
            if (c == '"') {
                throw new NftModelException(what + " must not contain '\"': nft prints it unescaped: " + shown(value));
            }
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new NftModelException(what + " is " + bytes + " bytes, more than nft's " + maxBytes + ": " + shown(value));
        }
        return value;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The value for an error message, quoted and cut short, control characters escaped. */
    static String shown(String value) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(value.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (value.length() > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
