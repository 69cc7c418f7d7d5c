package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.InvalidArgumentException;
import org.junit.jupiter.api.Test;

/** The kernel target's last guard; everything it does on the kernel is the root tests' part. */
class KernelTargetTest {
    @Test
    void aSysctlPathOutsideTheNetworkSubtreeNeverReachesTheKernel() {
        KernelTarget target = new KernelTarget(null);
        for (String path : new String[] {"net/../kernel/domainname", "kernel/hostname", "/net/core/somaxconn", "net/./core/somaxconn"}) {
            InvalidArgumentException w = assertThrows(InvalidArgumentException.class, () -> target.writeSysctl(path, "1"), path);
            assertEquals("write sysctl " + path + ": Invalid argument (EINVAL): not a path below /proc/sys/net", w.getMessage());
            assertThrows(InvalidArgumentException.class, () -> target.readSysctl(path), path);
        }
    }
}
