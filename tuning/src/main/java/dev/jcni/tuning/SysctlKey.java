package dev.jcni.tuning;

import dev.jcni.core.os.sysctl.Sysctl;
import dev.jcni.core.protocol.CniException;
import java.util.regex.Matcher;

/**
 * A configured sysctl key, resolved the way the reference tuning plugin resolves it, and the
 * rules for sysctl values; the same rules apply to what a backup file holds.
 *
 * <p>Keys are written with dots ({@code net.ipv4.conf.IFNAME.rp_filter}) or slashes; the kernel
 * layer's {@link Sysctl#slashSeparated} turns them into a path, then the first {@code IFNAME} is
 * replaced by the interface name (so a VLAN name such as {@code eth0.100} keeps its dot), and
 * {@link Sysctl#netRelativePath} keeps the result strictly below {@code /proc/sys/net}: tuning
 * changes a sandbox's network, nothing else.
 *
 * @param configured the key as written in the config (allowlist patterns match this form)
 * @param relative   the resolved path below /proc/sys, slash-separated, e.g. net/ipv4/conf/eth0/rp_filter
 */
record SysctlKey(String configured, String relative) {

    static SysctlKey resolve(String configured, String ifName) throws CniException {
        String path = Sysctl.slashSeparated(configured).replaceFirst("IFNAME", Matcher.quoteReplacement(ifName));
        String relative = Sysctl.netRelativePath(path);
        if (relative == null) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid net sysctl key: \"" + configured + "\"",
                    "a tuning sysctl must resolve below /proc/sys/net/ (resolved to /proc/sys/" + path + ")");
        }
        return new SysctlKey(configured, relative);
    }

    /**
     * True for a path as a backup stores it: already resolved, so it must be exactly the clean path
     * below /proc/sys/net it names ({@code net/../kernel/x} and {@code net/./core/x} are not).
     */
    static boolean isResolvedNetPath(String relative) {
        return relative.equals(Sysctl.netRelativePath(relative));
    }

    /**
     * Null when {@code value} may be written, otherwise why not. A sysctl is one write(2) of the
     * value; the kernel applies what it can parse and stops at a newline or any other control
     * character ({@code "1\n0"} sets 1 and reports a short write), so such values are refused
     * before anything changes. Multi-value sysctls take spaces: {@code "32768 60999"}.
     */
    static String valueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains the control character U+" + Integer.toHexString(0x10000 | c).substring(1).toUpperCase()
                        + "; separate the values of a multi-value sysctl with spaces";
            }
        }
        return null;
    }

    /**
     * True when a sysctl's live value is the configured one. Multi-value sysctls are printed with
     * tabs and written with spaces, so whitespace is normalised; nothing else is (ADD checks what
     * it wrote with this, so that a later CHECK agrees).
     */
    static boolean sameValue(String configured, String live) {
        return normalizeWhitespace(configured).equals(normalizeWhitespace(live));
    }

    private static String normalizeWhitespace(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }
}
