package dev.jcni.core.os.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The reference's separator rule: the first separator found decides. */
class SysctlPathTest {
    @Test
    void dotsBecomeSlashes() {
        assertEquals("/proc/sys/net/ipv4/ip_default_ttl", Sysctl.path("net.ipv4.ip_default_ttl").toString());
    }

    @Test
    void slashesAreKept() {
        assertEquals("/proc/sys/net/ipv4/ip_default_ttl", Sysctl.path("net/ipv4/ip_default_ttl").toString());
    }

    @Test
    void dottedKeyWritesVlanDotsAsSlashes() {
        assertEquals("/proc/sys/net/ipv4/conf/eth0.100/rp_filter", Sysctl.path("net.ipv4.conf.eth0/100.rp_filter").toString());
    }

    @Test
    void slashedKeyKeepsVlanDots() {
        assertEquals("/proc/sys/net/ipv4/conf/eth0.100/rp_filter", Sysctl.path("net/ipv4/conf/eth0.100/rp_filter").toString());
    }

    @Test
    void dotBeforeSlashMeansSwap() {
        assertEquals("/proc/sys/net/ipv6/conf/a.b/c", Sysctl.path("net.ipv6.conf.a/b.c").toString());
    }

    @Test
    void slashBeforeDotMeansAsIs() {
        assertEquals("/proc/sys/net/ipv6/conf/a.b/c", Sysctl.path("net/ipv6/conf/a.b/c").toString());
    }

    @Test
    void singleComponent() {
        assertEquals("/proc/sys/kernel", Sysctl.path("kernel").toString());
    }

    @Test
    void joinedAndCleanedLikeFilepathJoin() {
        assertEquals("/proc/sys/net/ipv4/ip_forward", Sysctl.path("/net/ipv4/ip_forward").toString());
        // Cleaning can climb out of /proc/sys: callers that must stay under /proc/sys/net check the result.
        assertEquals("/etc/passwd", Sysctl.path("net/../../../etc/passwd").toString());
    }

    @Test
    void emptyKeyIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Sysctl.path(""));
        assertThrows(IllegalArgumentException.class, () -> Sysctl.path(null));
    }

    @Test
    void netRelativePathKeepsWhatStaysBelowNet() {
        assertEquals("net/core/somaxconn", Sysctl.netRelativePath("net/core/somaxconn"));
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", Sysctl.netRelativePath("net/ipv4/conf/eth0.100/rp_filter"));
        // Cleaned like the path the write would open.
        assertEquals("net/core/somaxconn", Sysctl.netRelativePath("net//ipv4/../core/./somaxconn"));
    }

    @Test
    void netRelativePathRefusesEverythingElse() {
        for (String p : new String[] {"", "net", "net/", "net/.", "/net/core/somaxconn", "kernel/hostname", "net/../kernel/hostname",
                "vm/../net/core/somaxconn/../../../kernel/x", "net/../../../etc/passwd", "network/x", "..", "net/core/../.."}) {
            assertNull(Sysctl.netRelativePath(p), p);
        }
        assertNull(Sysctl.netRelativePath(null));
    }

    @Test
    void theSeparatorRuleIsPublicSoPlaceholdersGoInAfterIt() {
        assertEquals("net/ipv4/conf/IFNAME/rp_filter", Sysctl.slashSeparated("net.ipv4.conf.IFNAME.rp_filter"));
        assertEquals("net/ipv4/conf/a.b/c", Sysctl.slashSeparated("net/ipv4/conf/a.b/c"));
        assertEquals("net/ipv4/conf/a.b/c", Sysctl.slashSeparated("net.ipv4.conf.a/b.c"));
    }

    @Test
    void aLeadingSeparatorDecidesToo() {
        assertEquals("/a.b", Sysctl.slashSeparated(".a/b"), "a dot first: dots and slashes swap");
        assertEquals("/a.b", Sysctl.slashSeparated("/a.b"), "a slash first: as is");
        assertEquals("a", Sysctl.slashSeparated("a"));
    }

    @Test
    void aReadLeavesNoDescriptorOpen() throws Exception {
        Path file = Path.of("/proc/sys/net/core/somaxconn");
        String value = Sysctl.read("net.core.somaxconn");
        // cat reads the way the kernel wants (Files.readString would see "4" of "4096", see Sysctl).
        Process cat = new ProcessBuilder("cat", file.toString()).start();
        String expected = new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, cat.waitFor());
        assertEquals(expected.substring(0, expected.length() - 1), value, "the value without its newline");
        assertEquals(0, descriptorsOn(file));
    }

    static int descriptorsOn(Path file) throws Exception {
        int n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        n++;
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the listing's own descriptor
                }
            }
        }
        return n;
    }

    @Test
    void nonAsciiKeysNeedNoLocale() {
        // Cleaned as text: no java.nio.file.Path, whose encoder depends on the caller's locale.
        assertEquals("net/ipv4/conf/\u00e9th0/rp_filter", Sysctl.netRelativePath("net/ipv4/conf/\u00e9th0/rp_filter"));
    }
}
