package dev.jcni.it.hostile;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a case feeds the process on stdin: a template (a config naming the workspace's paths),
 * bytes taken as they are (a byte-order mark, UTF-16, 17 MiB), or a file the shell redirects
 * from ({@code /dev/zero}: a stream that never ends, which no byte array can stand for).
 */
public final class Stdin {
    private final Text template;
    private final byte[] raw;
    private final Text redirect;

    private Stdin(Text template, byte[] raw, Text redirect) {
        this.template = template;
        this.raw = raw;
        this.redirect = redirect;
    }

    /** Nothing: {@code /dev/null}. */
    public static Stdin none() {
        return new Stdin(null, new byte[0], null);
    }

    /** A template whose placeholders the workspace fills in. */
    public static Stdin text(String template) {
        return new Stdin(Text.of(template), null, null);
    }

    public static Stdin text(Text template) {
        return new Stdin(template, null, null);
    }

    /** Exactly these bytes. */
    public static Stdin bytes(byte[] raw) {
        return new Stdin(null, raw, null);
    }

    /** The shell's {@code < path}. */
    public static Stdin from(String pathTemplate) {
        return new Stdin(null, null, Text.of(pathTemplate));
    }

    /** The bytes to write to the process's stdin, or null when the shell redirects instead. */
    byte[] bytes(Map<String, String> values) {
        if (redirect != null) {
            return null;
        }
        return raw != null ? raw : template.bytes(values);
    }

    /** The file the shell redirects stdin from, or null. */
    Text redirect() {
        return redirect;
    }

    @Override
    public String toString() {
        if (redirect != null) {
            return "< " + redirect;
        }
        if (raw != null) {
            return raw.length > 4096 ? raw.length + " bytes" : Shown.cut(new String(raw, StandardCharsets.ISO_8859_1));
        }
        return template.toString();
    }
}
