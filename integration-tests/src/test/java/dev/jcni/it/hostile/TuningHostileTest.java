package dev.jcni.it.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.RequiresRoot;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile-input suite for {@code bin/tuning} (issue 6): every case of {@link TuningCases}
 * run against the real launcher in a test namespace, one dynamic test per case.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TuningHostileTest {
    /** The issue asks for at least this many inputs per plugin. */
    static final int MINIMUM_INPUTS = 300;

    @TestFactory
    Stream<DynamicNode> tuningHoldsAgainstHostileInput() {
        HostileReport report = new HostileSuite(TuningCases.target(), TuningCases.classes()).run();
        if (HostileSuite.filter() == null) {
            assertTrue(report.size() >= MINIMUM_INPUTS, "only " + report.size() + " inputs: " + report.countsByClass());
        }
        return report.tests();
    }
}
