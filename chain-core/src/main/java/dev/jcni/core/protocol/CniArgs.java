package dev.jcni.core.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code CNI_ARGS} variable: {@code K1=V1;K2=V2}.
 *
 * <p>Parsed leniently, unlike the Go library: the variable goes to every plugin of a chain, so a
 * key meant for another plugin (K8S_POD_NAME, IP…) is never an error, whether or not
 * {@code IgnoreUnknown} is set. A value may contain '=' (only the first one splits). Empty
 * segments (";;", a trailing ';') are skipped. A segment without '=' or with an empty key is an
 * error (code 4): it is a mistake in the caller, and ignoring it could silently drop a MAC or IP.
 * Keys are case-sensitive, as in the Go library ({@code MAC}, {@code IgnoreUnknown}).
 */
public final class CniArgs {
    private final Map<String, String> values;
    private final String raw;

    private CniArgs(Map<String, String> values, String raw) {
        this.values = values;
        this.raw = raw;
    }

    public static final CniArgs EMPTY = new CniArgs(Collections.emptyMap(), "");

    public static CniArgs parse(String raw) throws CniException {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String segment : raw.split(";", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            int eq = segment.indexOf('=');
            if (eq <= 0) {
                throw new CniException(CniException.INVALID_ENVIRONMENT,
                        "invalid CNI_ARGS pair \"" + segment + "\": expected KEY=VALUE");
            }
            map.put(segment.substring(0, eq), segment.substring(eq + 1));
        }
        return new CniArgs(Collections.unmodifiableMap(map), raw);
    }

    /** The variable exactly as received ("" when unset): what a delegated plugin is given, unchanged. */
    public String raw() {
        return raw;
    }

    /** The value for {@code key}, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** True when the caller set {@code IgnoreUnknown} to 1 or true (any case), as the Go library reads it. */
    public boolean ignoreUnknown() {
        String v = values.get("IgnoreUnknown");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The pairs in order, as libcni stores them in its cache ({@code [["K","V"],…]}). */
    public List<String[]> pairs() {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.add(new String[] {e.getKey(), e.getValue()});
        }
        return out;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }
}
