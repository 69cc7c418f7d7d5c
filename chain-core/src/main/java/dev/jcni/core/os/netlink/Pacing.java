package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.time.Duration;

/**
 * Time for the waits that poll the kernel (a link coming up, IPv6 addresses leaving the tentative
 * state): a clock and a sleep between polls, so the polls are paced rather than spun, and so unit
 * tests run them on a fake clock. The kernel has no request that answers "when this is done";
 * listening to multicast groups instead would need a second socket and still a deadline.
 */
class Pacing {
    /** The pause after each poll, in milliseconds: quick at first, then every 50 ms (the reference's settle interval). */
    private static final int[] PAUSES = {5, 10, 20, 50};

    static final Pacing SYSTEM = new Pacing();

    long nanoTime() {
        return System.nanoTime();
    }

    void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    /** A deadline {@code timeout} from now. */
    final Deadline deadline(Duration timeout, String operation) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout);
        }
        return new Deadline(nanoTime() + timeout.toNanos(), timeout, operation);
    }

    /** One wait: its end, and the pauses between polls. */
    final class Deadline {
        private final long end;
        private final Duration timeout;
        private final String operation;
        private int polls;

        private Deadline(long end, Duration timeout, String operation) {
            this.end = end;
            this.timeout = timeout;
            this.operation = operation;
        }

        boolean passed() {
            return nanoTime() - end >= 0;
        }

        Duration timeout() {
            return timeout;
        }

        /**
         * Sleeps before the next poll, never past the deadline. An interrupt ends the wait with
         * EINTR and leaves the thread's interrupt flag set.
         */
        void pause() throws OsException {
            long left = Math.max(0, (end - nanoTime()) / 1_000_000);
            long pause = Math.min(PAUSES[Math.min(polls++, PAUSES.length - 1)], Math.max(1, left));
            try {
                sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw OsException.fromErrno(operation, Errno.EINTR, "interrupted while waiting");
            }
        }
    }
}
