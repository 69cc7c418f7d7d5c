package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resolvConf as the reference reads it (dns_test.go), and the rules for reading a file a config names. */
class ResolvConfTest {
    @TempDir
    Path dir;

    @Test
    void parsesAsTheReference() {
        Result.Dns dns = ResolvConf.parse("nameserver 1.1.1.1\nnameserver 8.8.8.8\ndomain example.com\n"
                + "search example.com example.net\n# nameserver 9.9.9.9\n; search commented\n"
                + "  options ndots:5 timeout:2 \r\noptions attempts:3\nnameserver\nsortlist 10.0.0.0\n\n"
                + "domain second.example\tignored");
        assertEquals(List.of("1.1.1.1", "8.8.8.8"), dns.nameservers());
        assertEquals("second.example", dns.domain(), "the last domain wins, its first word");
        assertEquals(List.of("example.com", "example.net"), dns.search());
        assertEquals(List.of("ndots:5", "timeout:2", "attempts:3"), dns.options());
    }

    @Test
    void anEmptyFileGivesNoDns() {
        Result.Dns dns = ResolvConf.parse("# nothing\n");
        assertTrue(dns.isEmpty());
        assertNull(dns.nameservers());
    }

    @Test
    void aSharedFileIsReadWhoeverOwnsIt() throws Exception {
        assertEquals(ResolvConf.parse(Files.readString(Path.of("/etc/passwd"))), ResolvConf.read("/etc/passwd"),
                "root's and readable by all: read (it holds no resolver lines)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.0.0.53\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of("10.0.0.53"), ResolvConf.read(Files.createSymbolicLink(dir.resolve("link"), f).toString()).nameservers());
    }

    @Test
    void aFileNotEveryoneMayReadIsRefusedWithoutShowingIt() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path f = Files.writeString(dir.resolve("secret"), "nameserver 10.6.6.6\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        CniException e = assertThrows(CniException.class, () -> ResolvConf.read(f.toString()));
        assertEquals(7, e.code());
        assertTrue(e.msg().startsWith("cannot read resolvConf \"" + f + "\": it is not readable by every user"), e.msg());
        assertTrue(!e.getMessage().contains("10.6.6.6"));
        CniException missing = assertThrows(CniException.class, () -> ResolvConf.read(dir.resolve("none").toString()));
        assertTrue(missing.msg().endsWith("it does not exist"), missing.msg());
        CniException device = assertThrows(CniException.class, () -> ResolvConf.read("/dev/zero"));
        assertTrue(device.msg().contains("character device"), device.msg());
    }
}
