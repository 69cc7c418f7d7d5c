package dev.jcni.hostlocal;

import dev.jcni.core.testing.CapturedLog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.fs.Flock;
import dev.jcni.core.protocol.CniException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's bytes on disk, pinned: what the reference host-local writes and reads
 * (backend/disk/backend.go), so that either plugin reads and releases the other's leases.
 */
class LeaseStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    private LeaseStore.Location location() {
        return new LeaseStore.Location(dataDir.toString(), "mynet");
    }

    private Path dir() {
        return dataDir.resolve("mynet");
    }

    private static IpAddress ip(String text) throws Exception {
        return IpAddress.parse(text);
    }

    @Test
    void aLeaseIsContainerIdCrLfIfnameWithNothingAfter() throws Exception {
        try (LeaseStore store = LeaseStore.create(location(), WAIT)) {
            assertTrue(store.reserve(ip("10.1.0.2"), "ctr1", "eth0"));
            assertTrue(store.reserve(ip("2001:DB8::0:2"), "ctr1", "net1"));
            store.recordLastReserved(0, ip("10.1.0.2"));
            store.recordLastReserved(1, ip("2001:db8::2"));
        }
        assertArrayEquals(new byte[] {'c', 't', 'r', '1', '\r', '\n', 'e', 't', 'h', '0'}, Files.readAllBytes(dir().resolve("10.1.0.2")));
        assertArrayEquals("ctr1\r\nnet1".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir().resolve("2001:db8::2")),
                "named by the address as Go prints it");
        assertArrayEquals("10.1.0.2".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir().resolve("last_reserved_ip.0")));
        assertArrayEquals("2001:db8::2".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir().resolve("last_reserved_ip.1")));
        assertEquals(0, Files.size(dir().resolve("lock")));
        try (var names = Files.list(dir())) {
            assertEquals(5, names.count(), "two leases, two records, the lock: no temporary file left");
        }
    }

    /** Rewritten on every ADD, the record keeps its file, as the reference's does: no new inode per ADD. */
    @Test
    void theLastReservedRecordIsRewrittenInPlace() throws Exception {
        try (LeaseStore store = LeaseStore.create(location(), WAIT)) {
            store.recordLastReserved(0, ip("10.1.0.200"));
        }
        Path record = dir().resolve("last_reserved_ip.0");
        Object inode = Files.getAttribute(record, "unix:ino");
        try (LeaseStore store = LeaseStore.create(location(), WAIT)) {
            store.recordLastReserved(0, ip("10.1.0.3"));
            assertEquals(ip("10.1.0.3"), store.lastReserved(0));
        }
        assertArrayEquals("10.1.0.3".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(record));
        assertEquals(inode, Files.getAttribute(record, "unix:ino"));
    }

    @Test
    void modesArePrivate() throws Exception {
        try (LeaseStore store = LeaseStore.create(location(), WAIT)) {
            store.reserve(ip("10.1.0.2"), "ctr1", "eth0");
            store.recordLastReserved(0, ip("10.1.0.2"));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
        for (String f : new String[] {"10.1.0.2", "last_reserved_ip.0", "lock"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve(f))), f);
        }
    }

    /** What the reference (1.1.1: 0755 directory, 0644 leases, a 0750 lock) leaves is read and used as is. */
    @Test
    void theReferencesModesAreAccepted() throws Exception {
        Files.createDirectories(dir());
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir().resolve("10.1.0.9"), "ctr9\r\neth0");
        Files.setPosixFilePermissions(dir().resolve("10.1.0.9"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createFile(dir().resolve("lock"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false)) {
            List<Lease> leases = store.leases();
            assertEquals(1, leases.size());
            assertTrue(leases.get(0).isOwnedBy("ctr9", "eth0"));
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())), "left as the reference made it");
    }

    @Test
    void readingIgnoresSurroundingWhiteSpaceAsGoTrimSpaceDoes() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("10.1.0.2"), " \tctr1\r\neth0\n\u00a0\u2003");
        Files.writeString(dir().resolve("10.1.0.3"), "ctr2\n");
        Files.writeString(dir().resolve("10.1.0.4"), "ctr3\r\neth0\u001f");
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false)) {
            Map<String, Lease> byIp = byIp(store.leases());
            assertTrue(byIp.get("10.1.0.2").isOwnedBy("ctr1", "eth0"));
            assertTrue(byIp.get("10.1.0.3").isLegacyOwnedBy("ctr2"), "the format without an interface name");
            assertFalse(byIp.get("10.1.0.3").isOwnedBy("ctr2", "eth0"));
            assertFalse(byIp.get("10.1.0.4").isOwnedBy("ctr3", "eth0"), "U+001F is no space to Go");
        }
    }

    @Test
    void onlyCanonicalAddressNamesAreLeases() throws Exception {
        Files.createDirectories(dir());
        for (String name : new String[] {"10.1.0.2", "2001:db8::5", "lock", "last_reserved_ip.0", "010.1.0.3", "2001:DB8::6",
            "::ffff:10.1.0.7", "10.1.0.8.bak", ".tmp-1", "fe80::1%eth0"}) {
            Files.writeString(dir().resolve(name), "ctr1\r\neth0");
        }
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false)) {
            assertEquals(Map.of("10.1.0.2", true, "2001:db8::5", true), owned(byIp(store.leases())));
        }
    }

    /** A lease that is a link, a FIFO, another user's file, too large or not text is refused without being followed, opened or waited on. */
    @Test
    void untrustedEntriesAreRefusedButStillTakeTheirAddress() throws Exception {
        Files.createDirectories(dir());
        Path target = Files.writeString(dataDir.resolve("elsewhere"), "ctr1\r\neth0");
        Files.createSymbolicLink(dir().resolve("10.1.0.2"), target);
        assertEquals(0, new ProcessBuilder("mkfifo", dir().resolve("10.1.0.3").toString()).start().waitFor());
        Files.write(dir().resolve("10.1.0.4"), new byte[LeaseStore.MAX_LEASE_BYTES + 1]);
        Files.write(dir().resolve("10.1.0.5"), new byte[] {'c', (byte) 0xff, '\r', '\n', 'e'});
        Files.writeString(dir().resolve("10.1.0.6"), "ctr1\r\neth0");
        Files.setPosixFilePermissions(dir().resolve("10.1.0.6"), PosixFilePermissions.fromString("rw-rw-rw-"));
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false)) {
            Map<String, Lease> byIp = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> byIp(store.leases()));
            assertEquals(5, byIp.size());
            assertTrue(byIp.get("10.1.0.2").refusal().contains("symbolic link"), byIp.get("10.1.0.2").refusal());
            assertTrue(byIp.get("10.1.0.3").refusal().contains("FIFO"));
            assertTrue(byIp.get("10.1.0.4").refusal().contains("larger than"));
            assertEquals("is not UTF-8 text", byIp.get("10.1.0.5").refusal());
            assertTrue(byIp.get("10.1.0.6").refusal().contains("writable by every user"));
            for (Lease l : byIp.values()) {
                assertFalse(l.isOwnedBy("ctr1", "eth0"), l.toString());
            }
            assertFalse(store.reserve(ip("10.1.0.2"), "x", "eth0"), "an existing link is not replaced");
        }
        assertEquals("ctr1\r\neth0", Files.readString(target));
    }

    @Test
    void reserveIsExclusive() throws Exception {
        try (LeaseStore store = LeaseStore.create(location(), WAIT)) {
            assertTrue(store.reserve(ip("10.1.0.2"), "a", "eth0"));
            assertFalse(store.reserve(ip("10.1.0.2"), "b", "eth0"));
            assertTrue(store.release(ip("10.1.0.2")));
            assertTrue(store.reserve(ip("10.1.0.2"), "b", "eth0"));
        }
        assertEquals("b\r\neth0", Files.readString(dir().resolve("10.1.0.2")));
    }

    @Test
    void lastReservedIsReadExactlyAsGoParsesIt() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dir().resolve("last_reserved_ip.0"), "10.1.0.9");
        Files.writeString(dir().resolve("last_reserved_ip.1"), "10.1.0.9\n");
        Files.writeString(dir().resolve("last_reserved_ip.2"), "::ffff:10.1.0.9");
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false)) {
            assertEquals(ip("10.1.0.9"), store.lastReserved(0));
            assertNull(store.lastReserved(1), "net.ParseIP refuses a trailing newline");
            assertEquals(ip("10.1.0.9"), store.lastReserved(2));
            assertNull(store.lastReserved(3));
            store.recordLastReserved(0, null);
            assertFalse(Files.exists(dir().resolve("last_reserved_ip.0")));
        }
    }

    @Test
    void openingAnExistingStoreCreatesNothing() throws Exception {
        assertNull(LeaseStore.openExisting(location(), WAIT, false));
        assertFalse(Files.exists(dir()));
        assertNull(LeaseStore.snapshot(location()));
    }

    @Test
    void aStoreDirectoryThatIsALinkOrOpenToOthersIsRefused() throws Exception {
        Path real = Files.createDirectory(dataDir.resolve("real"));
        Files.createSymbolicLink(dir(), real);
        CniException link = assertThrows(CniException.class, () -> LeaseStore.create(location(), WAIT));
        assertTrue(link.msg().contains("not a directory but a symbolic link"), link.msg());
        assertThrows(CniException.class, () -> LeaseStore.openExisting(location(), WAIT, true));
        Files.delete(dir());
        Files.createDirectory(dir());
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        CniException open = assertThrows(CniException.class, () -> LeaseStore.create(location(), WAIT));
        assertTrue(open.msg().contains("others may write it (mode 777)"), open.msg());
        try (var names = Files.list(real)) {
            assertEquals(0, names.count(), "nothing made through the link");
        }
    }

    @Test
    void aHeldLockIsWaitedForThenCode11() throws Exception {
        Files.createDirectories(dir());
        try (Flock other = Flock.open(dir().resolve("lock").toString())) {
            assertTrue(other.tryLockExclusive());
            long start = System.nanoTime();
            CniException e = assertThrows(CniException.class, () -> LeaseStore.create(location(), Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= 200_000_000L);
            assertEquals(CniException.TRY_AGAIN_LATER, e.code());
            assertTrue(e.msg().contains("still locked"), e.msg());
        }
        try (LeaseStore store = LeaseStore.create(location(), Duration.ofMillis(200))) {
            assertTrue(store.reserve(ip("10.1.0.2"), "a", "eth0"), "the lock is free again");
        }
    }

    @Test
    void anUnusableLockFileStopsAddButNotDel() throws Exception {
        Files.createDirectories(dir());
        Files.createSymbolicLink(dir().resolve("lock"), dataDir.resolve("elsewhere"));
        CniException e = assertThrows(CniException.class, () -> LeaseStore.create(location(), WAIT));
        assertEquals(CniException.PLUGIN_FAILURE, e.code());
        try (LeaseStore unlocked = LeaseStore.openExisting(location(), WAIT, true)) {
            assertTrue(unlocked.leases().isEmpty());
        }
        assertFalse(Files.exists(dataDir.resolve("elsewhere")), "the link was not followed");
    }

    private static Map<String, Lease> byIp(List<Lease> leases) {
        Map<String, Lease> out = new HashMap<>();
        for (Lease l : leases) {
            out.put(l.ip().toString(), l);
        }
        return out;
    }

    private static Map<String, Boolean> owned(Map<String, Lease> byIp) {
        Map<String, Boolean> out = new HashMap<>();
        for (Map.Entry<String, Lease> e : byIp.entrySet()) {
            out.put(e.getKey(), e.getValue().isOwnedBy("ctr1", "eth0"));
        }
        return out;
    }

    @Test
    void leaseNamesStartWithADigitAHexLetterOrAColon() {
        for (String name : new String[] {"0.1.2.3", "9.0.0.1", "a::1", "f::1", "::1", "fd00::2"}) {
            assertEquals(name, String.valueOf(LeaseStore.leaseAddress(name)), name);
        }
        for (String name : new String[] {"", "/", "@", "`", "g", "lock", "last_reserved_ip.0", "10.1.0.2.tmp", "0A::1"}) {
            assertNull(LeaseStore.leaseAddress(name), name);
        }
    }

    private static long openDescriptors() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aRequestThatGivesUpWaitingSaysHowLongAndClosesTheLockFile() throws Exception {
        Files.createDirectories(dir());
        try (Flock other = Flock.open(dir().resolve("lock").toString())) {
            assertTrue(other.tryLockExclusive());
            long before = openDescriptors();
            CniException e = assertThrows(CniException.class, () -> LeaseStore.create(location(), Duration.ofMillis(200)));
            assertEquals("the lease store " + dir() + " is still locked after 0.2 s; try again later", e.msg());
            assertEquals(before, openDescriptors(), "the lock file's descriptor is closed");

            Thread.currentThread().interrupt();
            CniException interrupted = assertThrows(CniException.class, () -> LeaseStore.create(location(), Duration.ofSeconds(30)));
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            assertEquals(CniException.TRY_AGAIN_LATER, interrupted.code());
            assertEquals("interrupted while waiting for the lease store " + dir(), interrupted.msg());
            assertEquals(before, openDescriptors(), "the lock file's descriptor is closed");
        }
    }

    @Test
    void anEntryThatCannotBeRemovedIsNotReleased() throws Exception {
        Files.createDirectories(dir().resolve("10.1.0.9").resolve("inside"));
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false)) {
            assertFalse(store.release(ip("10.1.0.9")));
        }
        assertTrue(Files.isDirectory(dir().resolve("10.1.0.9")));
    }

    @Test
    void aRoundRobinRecordThatCannotBeTrustedIsIgnoredWithAWarning() throws Exception {
        Files.createDirectories(dir());
        Files.writeString(dataDir.resolve("elsewhere"), "10.1.0.9");
        Files.createSymbolicLink(dir().resolve("last_reserved_ip.0"), dataDir.resolve("elsewhere"));
        try (LeaseStore store = LeaseStore.openExisting(location(), WAIT, false); CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), false)) {
            assertNull(store.lastReserved(0));
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("host-local: WARN ignoring ") && l.contains("last_reserved_ip.0: ")),
                    log.toString());
            assertNull(store.lastReserved(1));
            assertEquals(1, log.lines().size(), "a missing record is no news: " + log);
        }
    }

    @Test
    void aStoreLockedWithoutItsLockFileIsWarnedAbout() throws Exception {
        Files.createDirectories(dir());
        Files.createSymbolicLink(dir().resolve("lock"), dataDir.resolve("elsewhere"));
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), false); LeaseStore unlocked = LeaseStore.openExisting(location(), WAIT, true)) {
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("host-local: WARN lease store " + dir() + " used without its lock: ")),
                    log.toString());
        }
    }

    @Test
    void aStoreThatIsAFileIsRefusedSayingSo() throws Exception {
        Files.writeString(dir(), "a file");
        CniException e = assertThrows(CniException.class, () -> LeaseStore.openExisting(location(), WAIT, true));
        assertEquals("cannot use the lease store " + dir() + ": it is not a directory", e.msg());
    }
}
