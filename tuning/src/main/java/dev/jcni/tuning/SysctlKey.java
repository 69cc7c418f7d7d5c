package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Path;

/**
 * A configured sysctl key, resolved the way the reference tuning plugin resolves it.
 *
 * <p>Keys are written with dots ({@code net.ipv4.conf.IFNAME.rp_filter}) or slashes. When the
 * first separator is a dot, dots and slashes swap places; only then is the first {@code IFNAME}
 * replaced by the interface name, so a VLAN name such as {@code eth0.100} keeps its dot. The
 * result must stay under {@code /proc/sys/net}: tuning changes a sandbox's network, nothing else.
 *
 * @param configured the key as written in the config (allowlist patterns match this form)
 * @param relative   the resolved path below /proc/sys, slash-separated, e.g. net/ipv4/conf/eth0/rp_filter
 */
public record SysctlKey(String configured, String relative) {

    public static SysctlKey resolve(String configured, String ifName) throws CniException {
        String key = configured;
        int dot = key.indexOf('.');
        int slash = key.indexOf('/');
        if (dot >= 0 && (slash < 0 || dot < slash)) {
            key = swapDotsAndSlashes(key);
        }
        key = key.replaceFirst("IFNAME", java.util.regex.Matcher.quoteReplacement(ifName));
        Path resolved = Path.of("/proc/sys").resolve(key).normalize();
        if (key.isEmpty() || key.startsWith("/") || !resolved.startsWith("/proc/sys/net/")
                || resolved.getNameCount() <= 3) {
            throw new CniException(CniException.INVALID_CONFIG, "invalid net sysctl key: \"" + configured + "\"",
                    "a tuning sysctl must resolve below /proc/sys/net/ (resolved to " + resolved + ")");
        }
        return new SysctlKey(configured, Path.of("/proc/sys").relativize(resolved).toString());
    }

    private static String swapDotsAndSlashes(String key) {
        char[] c = key.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] == '.') {
                c[i] = '/';
            } else if (c[i] == '/') {
                c[i] = '.';
            }
        }
        return new String(c);
    }
}
