package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlAllowlistTest {
    @TempDir
    Path tmp;

    @Test
    void noFileAllowsEverything() throws Exception {
        SysctlAllowlist none = SysctlAllowlist.load(tmp.resolve("none").toString());
        assertFalse(none.isPresent());
        none.check("net.ipv4.ip_forward");
    }

    @Test
    void linesAreUnanchoredPatternsOverTheKeyAsConfigured() throws Exception {
        Path f = Files.writeString(tmp.resolve("allow"), "  ^net\\.core\\.[a-z_]*$ \n\n\r\nconf\\.IFNAME\\.rp_filter\n");
        SysctlAllowlist list = SysctlAllowlist.load(f.toString());
        list.check("net.core.somaxconn");
        list.check("net.ipv4.conf.IFNAME.rp_filter");
        CniException e = assertThrows(CniException.class, () -> list.check("net.ipv4.ip_forward"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("Sysctl net.ipv4.ip_forward is not allowed. Only the following sysctls are allowed: "
                + "[^net\\.core\\.[a-z_]*$, conf\\.IFNAME\\.rp_filter]", e.msg());
    }

    @Test
    void aBadPatternShowsAtMostTheStartOfItsLineAndNothingElse() throws Exception {
        String line = "(" + "a".repeat(99) + "SECRET-TAIL";
        Path f = Files.writeString(tmp.resolve("allow"), "^net\\.core\\..*$\n" + line + "\nNEXT-LINE-SECRET\n");
        CniException e = assertThrows(CniException.class, () -> SysctlAllowlist.load(f.toString()));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        assertEquals("invalid pattern in sysctl allowlist " + f + ": (" + "a".repeat(99) + "...", e.msg());
        assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
        Path shortLine = Files.writeString(tmp.resolve("short"), "net\\.core\\.(unclosed\n");
        assertTrue(assertThrows(CniException.class, () -> SysctlAllowlist.load(shortLine.toString())).msg()
                .endsWith(": net\\.core\\.(unclosed"));
    }

    @Test
    void aBadPatternOfExactlyTheLimitIsShownWhole() throws Exception {
        String line = "(" + "a".repeat(99);
        Path f = Files.writeString(tmp.resolve("allow"), line + "\n");
        assertEquals("invalid pattern in sysctl allowlist " + f + ": " + line,
                assertThrows(CniException.class, () -> SysctlAllowlist.load(f.toString())).msg());
    }

    @Test
    void anOversizedFileIsAnErrorNotARead() throws Exception {
        Path f = Files.writeString(tmp.resolve("allow"), "x\n".repeat(TuningDefaults.MAX_FILE_BYTES));
        CniException e = assertThrows(CniException.class, () -> SysctlAllowlist.load(f.toString()));
        assertTrue(e.details().contains("larger than 65536 bytes"), e.details());
    }
}
