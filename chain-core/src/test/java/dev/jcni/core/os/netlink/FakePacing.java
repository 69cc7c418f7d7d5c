package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when the code under test sleeps; records the pauses. */
final class FakePacing extends Pacing {
    long now = 1_000_000_000L;
    final List<Long> pauses = new ArrayList<>();

    @Override
    long nanoTime() {
        return now;
    }

    @Override
    void sleep(long millis) {
        pauses.add(millis);
        now += millis * 1_000_000L;
    }

    long sleptMillis() {
        long sum = 0;
        for (long p : pauses) {
            sum += p;
        }
        return sum;
    }
}
