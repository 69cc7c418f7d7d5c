package dev.jcni.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables {@link RequiresRoot} tests only where namespaces and links can really be created. */
public final class RootCondition implements ExecutionCondition {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final List<String> IP_PATHS = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = missingPrerequisite();
        return why == null
                ? ConditionEvaluationResult.enabled("root with CAP_SYS_ADMIN and CAP_NET_ADMIN, ip(8) present")
                : ConditionEvaluationResult.disabled("kernel test skipped: " + why);
    }

    /** Null when the tests can run, else the reason they cannot. */
    public static String missingPrerequisite() {
        long caps = effectiveCapabilities();
        if (caps < 0) {
            return "cannot read CapEff from /proc/self/status";
        }
        if ((caps & (1L << CAP_SYS_ADMIN)) == 0 || (caps & (1L << CAP_NET_ADMIN)) == 0) {
            return "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN); running as " + System.getProperty("user.name")
                    + " with CapEff=" + Long.toHexString(caps);
        }
        for (String p : IP_PATHS) {
            if (Files.isExecutable(Path.of(p))) {
                return null;
            }
        }
        return "ip(8) from iproute2 not found in " + IP_PATHS;
    }

    private static long effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
