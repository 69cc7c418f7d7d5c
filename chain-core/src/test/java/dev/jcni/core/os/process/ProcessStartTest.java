package dev.jcni.core.os.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessStartTest {
    // A real line's shape (bash, pid 4242), the start time 987654 in field 22.
    private static final String AFTER_NAME = " S 1 4242 4242 0 -1 4194560 1000 0 0 0 3 1 0 0 20 0 1 0 987654 9000000 800 "
            + "18446744073709551615 1 1 0 0 0 0 65536 3686404 1266761467 0 0 0 17 1 0 0 0 0 0\n";

    @Test
    void readsField22CountingFromTheLastParenthesis() {
        assertEquals(987654, ProcessStart.ticksFromStat("4242 (bash)" + AFTER_NAME));
        assertEquals(987654, ProcessStart.ticksFromStat("4242 (a) b (c) 7 8 9 10 11 12)" + AFTER_NAME), "a name with spaces and ')'");
    }

    @Test
    void aZombieOrAShortOrGarbledLineHasNone() {
        assertEquals(-1, ProcessStart.ticksFromStat("4242 (bash)" + AFTER_NAME.replace(" S ", " Z ")));
        assertEquals(-1, ProcessStart.ticksFromStat("4242 (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17"), "19 fields after the name");
        assertEquals(-1, ProcessStart.ticksFromStat("4242 (bash)" + AFTER_NAME.replace(" 987654 ", " x ")));
        assertEquals(20, ProcessStart.ticksFromStat("4242 (bash) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 20"), "exactly 20 fields suffice");
    }

    @Test
    void thisProcessHasAStartAndANonexistentPidNone() {
        long mine = ProcessStart.ticksOf(ProcessHandle.current().pid());
        assertTrue(mine > 0, "this JVM's start: " + mine);
        assertEquals(mine, ProcessStart.ticksOf(ProcessHandle.current().pid()), "the same process, the same start");
        assertEquals(-1, ProcessStart.ticksOf(Integer.MAX_VALUE), "no such pid (above pid_max)");
    }
}
