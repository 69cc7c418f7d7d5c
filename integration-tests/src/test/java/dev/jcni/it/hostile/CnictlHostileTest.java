package dev.jcni.it.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.it.support.RequiresRoot;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile-input suite for {@code bin/cnictl} (issue 6): every case of {@link CnictlCases}
 * run against the real launcher, with our tuning behind a stand-in interface plugin, in a test
 * namespace; one dynamic test per case.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CnictlHostileTest {
    @TestFactory
    Stream<DynamicNode> cnictlHoldsAgainstHostileInput() {
        HostileReport report = new HostileSuite(CnictlCases.target(), CnictlCases.classes()).run();
        if (HostileSuite.filter() == null) {
            assertTrue(report.size() >= TuningHostileTest.MINIMUM_INPUTS, "only " + report.size() + " inputs: " + report.countsByClass());
        }
        return report.tests();
    }
}
