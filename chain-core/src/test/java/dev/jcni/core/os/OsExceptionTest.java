package dev.jcni.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OsExceptionTest {
    @Test
    void messageNamesOperationErrorTextAndSymbol() {
        OsException e = OsException.fromErrno("RTM_NEWLINK set mtu on eth0", Errno.EINVAL);
        assertEquals("RTM_NEWLINK set mtu on eth0: Invalid argument (EINVAL)", e.getMessage());
        assertEquals("RTM_NEWLINK set mtu on eth0", e.operation());
        assertEquals(22, e.errno());
    }

    @Test
    void detailIsAppended() {
        OsException e = OsException.fromErrno("RTM_NEWLINK set mtu 70000 on eth0", Errno.EINVAL, "mtu greater than device maximum");
        assertEquals("RTM_NEWLINK set mtu 70000 on eth0: Invalid argument (EINVAL): mtu greater than device maximum", e.getMessage());
    }

    @Test
    void notFoundErrnos() {
        for (int errno : new int[] {Errno.ENOENT, Errno.ENODEV, Errno.ESRCH, Errno.ENXIO}) {
            assertSame(NotFoundException.class, OsException.fromErrno("op", errno).getClass(), Errno.name(errno));
        }
    }

    @Test
    void otherTypedErrnos() {
        assertSame(ExistsException.class, OsException.fromErrno("op", Errno.EEXIST).getClass());
        assertSame(PermissionException.class, OsException.fromErrno("op", Errno.EPERM).getClass());
        assertSame(PermissionException.class, OsException.fromErrno("op", Errno.EACCES).getClass());
        assertSame(BusyException.class, OsException.fromErrno("op", Errno.EBUSY).getClass());
        assertSame(InvalidArgumentException.class, OsException.fromErrno("op", Errno.EINVAL).getClass());
        assertSame(InvalidArgumentException.class, OsException.fromErrno("op", Errno.ERANGE).getClass());
    }

    @Test
    void untypedErrnosStayPlain() {
        assertSame(OsException.class, OsException.fromErrno("op", Errno.EINTR).getClass());
        assertSame(OsException.class, OsException.fromErrno("op", Errno.ENOBUFS).getClass());
    }

    /** Every errno outside the typed ones stays a plain OsException. */
    @Test
    void everyOtherErrnoIsPlain() {
        java.util.Set<Integer> typed = java.util.Set.of(1, 2, 3, 6, 13, 16, 17, 19, 22, 34);
        for (int errno = 1; errno <= 140; errno++) {
            Class<?> kind = OsException.fromErrno("op", errno).getClass();
            assertEquals(typed.contains(errno), kind != OsException.class, Errno.name(errno) + " became " + kind.getSimpleName());
        }
    }

    @Test
    void unknownErrnoStillDescribed() {
        OsException e = OsException.fromErrno("op", 4095);
        assertEquals("op: Unknown error 4095 (errno 4095)", e.getMessage());
        assertSame(OsException.class, e.getClass());
    }

    @Test
    void commonNamesAndTexts() {
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("No such file or directory", Errno.description(2));
        assertEquals("ENODEV", Errno.name(19));
        assertEquals("No such device", Errno.description(19));
        assertEquals("EEXIST", Errno.name(17));
        assertEquals("Device or resource busy", Errno.description(16));
        assertEquals("EOPNOTSUPP", Errno.name(95));
    }

    @Test
    void withOperationKeepsKindErrnoAndDetail() {
        OsException e = OsException.fromErrno("RTM_NEWLINK set mtu 70000 on index 7", Errno.EINVAL, "mtu greater than device maximum");
        OsException renamed = e.withOperation("RTM_NEWLINK set mtu 70000 on eth0");
        assertTrue(renamed instanceof InvalidArgumentException);
        assertEquals(Errno.EINVAL, renamed.errno());
        assertEquals("RTM_NEWLINK set mtu 70000 on eth0", renamed.operation());
        assertEquals("RTM_NEWLINK set mtu 70000 on eth0: Invalid argument (EINVAL): mtu greater than device maximum",
                renamed.getMessage());
        assertSame(e, renamed.getCause());
    }
}
