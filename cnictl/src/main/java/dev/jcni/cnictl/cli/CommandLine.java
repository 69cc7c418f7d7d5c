package dev.jcni.cnictl.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * cnictl's arguments: options may come before or after the command; everything else is
 * positional. Environment variables give the defaults, as in cnitool.
 */
final class CommandLine {
    private static final Pattern TIMEOUT_TEXT = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");
    private static final BigDecimal MAX_TIMEOUT_MILLIS = BigDecimal.valueOf(Duration.ofDays(1).toMillis());
    String command;
    final List<String> positional = new ArrayList<>();
    String ifName;
    String cacheDir;
    /** --timeout or $JCNI_TIMEOUT, checked when parsed; null for the command's default. */
    Duration timeout;
    String containerId;
    boolean verbose;
    /** demo only */
    String conflist;
    String binDir;
    String systemPluginDir;
    String hostPort;

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(String[] args, Map<String, String> env) throws UsageException {
        CommandLine cl = new CommandLine();
        Options options = new Options(args);
        while (options.hasNext()) {
            String a = options.next();
            switch (a) {
                case "-i":
                case "--ifname":
                    cl.ifName = options.value();
                    break;
                case "--cache-dir":
                    cl.cacheDir = options.value();
                    break;
                case "--timeout":
                    cl.timeout = parseTimeout(options.value(), "--timeout");
                    break;
                case "--container-id":
                    cl.containerId = options.value();
                    break;
                case "--conflist":
                    cl.conflist = options.value();
                    break;
                case "--bin":
                    cl.binDir = options.value();
                    break;
                case "--system-plugins":
                    cl.systemPluginDir = options.value();
                    break;
                case "--host-port":
                    cl.hostPort = options.value();
                    break;
                case "-v":
                case "--verbose":
                    cl.verbose = true;
                    break;
                case "-h":
                case "--help":
                    cl.command = "help";
                    break;
                default:
                    if (a.startsWith("-") && a.length() > 1) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (cl.command == null) {
                        cl.command = a;
                    } else {
                        cl.positional.add(a);
                    }
            }
        }
        if (cl.command == null) {
            cl.command = "help";
        }
        if (cl.ifName == null) {
            String fromEnv = env.get("CNI_IFNAME");
            cl.ifName = fromEnv == null || fromEnv.isEmpty() ? "eth0" : fromEnv;
        }
        if (cl.cacheDir == null) {
            cl.cacheDir = env.get("JCNI_CACHE_DIR");
        }
        if (cl.timeout == null) {
            cl.timeout = parseTimeout(env.get("JCNI_TIMEOUT"), "$JCNI_TIMEOUT");
        }
        return cl;
    }

    /** The deadline of each plugin exec: --timeout or $JCNI_TIMEOUT, else {@code otherwise}. */
    Duration timeout(Duration otherwise) throws UsageException {
        return timeout == null ? otherwise : timeout;
    }

    /**
     * Seconds as a plain decimal ({@code 60}, {@code 2.5}), from 1 ms to a day; null for "" or
     * null (the default). Bounded here, before anything runs: an unbounded value used to pass,
     * run a plugin and only then overflow the deadline arithmetic.
     */
    static Duration parseTimeout(String seconds, String source) throws UsageException {
        if (seconds == null || seconds.isEmpty()) {
            return null;
        }
        if (TIMEOUT_TEXT.matcher(seconds).matches()) {
            BigDecimal millis = new BigDecimal(seconds).movePointRight(3);
            if (millis.compareTo(BigDecimal.ONE) >= 0 && millis.compareTo(MAX_TIMEOUT_MILLIS) <= 0) {
                return Duration.ofMillis(millis.longValue());
            }
        }
        throw new UsageException(source + " needs a number of seconds between 0.001 and 86400 (a day), got \"" + seconds + "\"");
    }

    /** Walks the arguments; an option's value is the rest of {@code --name=value} or the next argument. */
    private static final class Options {
        private final String[] args;
        private int next;
        private String name;
        private String inlineValue;

        Options(String[] args) {
            this.args = args;
        }

        boolean hasNext() {
            return next < args.length;
        }

        /** The next argument; for {@code --name=value}, just {@code --name}. */
        String next() {
            String a = args[next++];
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                inlineValue = a.substring(eq + 1);
            } else {
                name = a;
                inlineValue = null;
            }
            return name;
        }

        /** The value of the option {@link #next()} returned. */
        String value() throws UsageException {
            if (inlineValue != null) {
                return inlineValue;
            }
            if (next >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            return args[next++];
        }
    }
}
