package dev.jcni.core.os.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The row mechanism and the rows added for namespace handles, against the real libc. No root needed. */
class NativeTableTest {
    private static final long PROC_SUPER_MAGIC = 0x9fa0L;
    private static final int CLONE_NEWUTS = 0x04000000;

    @Test
    void everyLibcRowBinds() throws Exception {
        Class.forName(SocketCalls.class.getName()); // declares its rows on LIBC when it initialises
        List<String> names = new ArrayList<>();
        for (NativeFunction f : Native.LIBC.functions()) {
            f.bind();
            names.add(f.name());
        }
        assertTrue(names.containsAll(List.of("open", "close", "read", "write", "setns", "socket", "bind", "setsockopt",
                "send", "recv", "ioctl", "fstatfs", "statx", "listen", "accept4", "connect", "socketpair", "getsockopt", "sendmsg",
                "recvmsg", "poll", "fcntl")), names.toString());
        assertEquals(names.size(), names.stream().distinct().count(), "a function declared twice: " + names);
    }

    @Test
    void aMissingSymbolFailsEveryCallWithTheSameKeptCause() {
        NativeFunction missing = new NativeLibrary("libc.so.6").function("jcni_no_such_function", CType.INT);
        IllegalStateException first = assertThrows(IllegalStateException.class, () -> missing.callUnchecked());
        IllegalStateException second = assertThrows(IllegalStateException.class, () -> missing.call("op"));
        assertTrue(first.getMessage().contains("jcni_no_such_function"), first.getMessage());
        assertSame(first.getCause(), second.getCause(), "the binding failure is kept, not retried");
    }

    @Test
    void aMissingLibraryIsReportedOnEveryCallAndAsUnavailable() {
        NativeLibrary lib = new NativeLibrary("libjcni-no-such-library.so.1");
        NativeFunction f = lib.function("anything", CType.INT);
        assertFalse(lib.available());
        for (int i = 0; i < 2; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.callUnchecked());
            assertTrue(e.getMessage().contains("libjcni-no-such-library.so.1"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, lib::bindAll);
        assertTrue(Native.LIBC.available());
    }

    @Test
    void argumentCountIsCheckedAgainstTheRow() {
        NativeFunction close = new NativeLibrary("libc.so.6").function("close", CType.INT, CType.INT);
        assertThrows(IllegalArgumentException.class, () -> close.callUnchecked(1, 2));
    }

    @Test
    void failureBecomesTheErrnosException() {
        NativeFunction close = new NativeLibrary("libc.so.6").function("close", CType.INT, CType.INT);
        OsException e = assertThrows(OsException.class, () -> close.call("close -1", -1));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("close -1: Bad file descriptor (EBADF)", e.getMessage());
    }

    @Test
    void fileSystemTypeTellsNsfsFromProc() throws Exception {
        int ns = Native.open("/proc/self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC, "open");
        int sys = Native.open("/proc/sys/kernel/ostype", Native.O_RDONLY | Native.O_CLOEXEC, "open");
        try {
            assertEquals(Native.NSFS_MAGIC, Native.fileSystemType(ns, "fstatfs"));
            assertEquals(PROC_SUPER_MAGIC, Native.fileSystemType(sys, "fstatfs"));
        } finally {
            Native.close(ns);
            Native.close(sys);
        }
    }

    @Test
    void namespaceTypeComesFromIoctl() throws Exception {
        int net = Native.open("/proc/self/ns/net", Native.O_RDONLY | Native.O_CLOEXEC, "open");
        int uts = Native.open("/proc/self/ns/uts", Native.O_RDONLY | Native.O_CLOEXEC, "open");
        int sys = Native.open("/proc/sys/kernel/ostype", Native.O_RDONLY | Native.O_CLOEXEC, "open");
        try {
            assertEquals(Native.CLONE_NEWNET, Native.ioctl(net, Native.NS_GET_NSTYPE, "ioctl"));
            assertEquals(CLONE_NEWUTS, Native.ioctl(uts, Native.NS_GET_NSTYPE, "ioctl"));
            assertEquals(Errno.ENOTTY, assertThrows(OsException.class, () -> Native.ioctl(sys, Native.NS_GET_NSTYPE, "ioctl")).errno());
        } finally {
            Native.close(net);
            Native.close(uts);
            Native.close(sys);
        }
    }

    @Test
    void identityIsTheFilesDeviceAndInode() throws Exception {
        Path nsPath = Path.of("/proc/self/ns/net");
        int a = Native.open(nsPath.toString(), Native.O_RDONLY | Native.O_CLOEXEC, "open");
        int b = Native.open(nsPath.toString(), Native.O_RDONLY | Native.O_CLOEXEC, "open");
        int other = Native.open("/proc/self/ns/uts", Native.O_RDONLY | Native.O_CLOEXEC, "open");
        try {
            FileIdentity ia = Native.identity(a, "statx");
            assertEquals(ia, Native.identity(b, "statx"), "two descriptors of one file");
            assertEquals(ia.hashCode(), Native.identity(b, "statx").hashCode());
            assertNotEquals(ia, Native.identity(other, "statx"));
            // The JDK's stat follows the magic link to the same nsfs inode and device.
            assertEquals(((Number) Files.getAttribute(nsPath, "unix:ino")).longValue(), ia.inode());
            long dev = ((Number) Files.getAttribute(nsPath, "unix:dev")).longValue();
            assertEquals(new FileIdentity(major(dev), minor(dev), ia.inode()), ia);
        } finally {
            Native.close(a);
            Native.close(b);
            Native.close(other);
        }
    }

    @Test
    void identityOfAClosedDescriptorIsBadf() {
        assertEquals(Errno.EBADF, assertThrows(OsException.class, () -> Native.identity(-1, "statx")).errno());
    }

    /** glibc's gnu_dev_major / gnu_dev_minor. */
    private static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    private static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }
}
