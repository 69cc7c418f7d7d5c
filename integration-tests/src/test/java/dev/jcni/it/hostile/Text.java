package dev.jcni.it.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A value a case hands to a process (an environment variable, an argument, a path to plant), as
 * bytes: text with {@code ${NAME}} placeholders that a {@link Workspace} fills in (the workspace,
 * the sandbox's path...), followed or interleaved by raw bytes that are no UTF-8 at all. Cases
 * are written before any workspace exists, so they are templates; a hostile byte sequence
 * ({@code 0xE9}, an overlong {@code 0xC0 0xAF}) must reach the process exactly, which a Java
 * string cannot carry, hence the raw parts.
 */
public final class Text {
    private final List<Object> parts; // String (a template) or byte[] (raw)

    private Text(List<Object> parts) {
        this.parts = Collections.unmodifiableList(parts);
    }

    /** A template: {@code ${NAME}} is replaced by the workspace's value for NAME. */
    public static Text of(String template) {
        List<Object> p = new ArrayList<>();
        p.add(template);
        return new Text(p);
    }

    /** Raw bytes, taken as they are. */
    public static Text raw(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        List<Object> p = new ArrayList<>();
        p.add(b);
        return new Text(p);
    }

    /** This value followed by the template {@code template}. */
    public Text then(String template) {
        List<Object> p = new ArrayList<>(parts);
        p.add(template);
        return new Text(p);
    }

    /** This value followed by {@code other}. */
    public Text then(Text other) {
        List<Object> p = new ArrayList<>(parts);
        p.addAll(other.parts);
        return new Text(p);
    }

    /** This value followed by the raw bytes. */
    public Text thenRaw(int... bytes) {
        List<Object> p = new ArrayList<>(parts);
        p.addAll(raw(bytes).parts);
        return new Text(p);
    }

    /** The bytes, placeholders filled in from {@code values}; an unknown placeholder is a bug in the case. */
    public byte[] bytes(Map<String, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof byte[] raw ? raw : expand((String) part, values).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    /** {@code template} with every {@code ${NAME}} replaced. */
    static String expand(String template, Map<String, String> values) {
        StringBuilder sb = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int start = template.indexOf("${", i);
            if (start < 0) {
                sb.append(template, i, template.length());
                break;
            }
            int end = template.indexOf('}', start);
            String name = end < 0 ? null : template.substring(start + 2, end);
            if (name == null || !name.matches("[A-Z]+")) {
                sb.append(template, i, start + 2);
                i = start + 2;
                continue;
            }
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("no value for ${" + name + "} in " + template);
            }
            sb.append(template, i, start).append(value);
            i = end + 1;
        }
        return sb.toString();
    }

    /** For reports: the template, raw bytes as {@code \xNN}, long values cut. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof byte[] raw) {
                for (byte b : raw) {
                    sb.append(String.format("\\x%02X", b & 0xff));
                }
            } else {
                sb.append((String) part);
            }
        }
        return Shown.cut(sb.toString());
    }
}
