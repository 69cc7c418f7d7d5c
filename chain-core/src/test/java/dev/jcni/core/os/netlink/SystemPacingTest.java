package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real clock and sleep the waits use outside tests, and what an interrupt does to a wait. */
class SystemPacingTest {
    @Test
    void theSystemClockMovesAndItsSleepTakesTime() throws Exception {
        long before = Pacing.SYSTEM.nanoTime();
        Pacing.SYSTEM.sleep(20);
        long slept = Pacing.SYSTEM.nanoTime() - before;
        assertTrue(slept >= 20_000_000L, "slept " + slept + " ns");
    }

    @Test
    void anInterruptEndsTheWaitWithEintrAndStaysSet() {
        Pacing.Deadline d = Pacing.SYSTEM.deadline(Duration.ofSeconds(5), "wait for eth0");
        Thread.currentThread().interrupt();
        try {
            OsException e = assertThrows(OsException.class, d::pause);
            assertEquals(Errno.EINTR, e.errno());
            assertEquals("wait for eth0: Interrupted system call (EINTR): interrupted while waiting", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
    }
}
