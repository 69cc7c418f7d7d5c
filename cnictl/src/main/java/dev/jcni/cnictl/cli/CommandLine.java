package dev.jcni.cnictl.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * cnictl's arguments: options may come before or after the command; everything else is
 * positional. Environment variables give the defaults, as in cnitool.
 */
final class CommandLine {
    String command;
    final List<String> positional = new ArrayList<>();
    String ifName;
    String cacheDir;
    String timeoutSeconds;
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
                    cl.timeoutSeconds = options.value();
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
        if (cl.timeoutSeconds == null) {
            cl.timeoutSeconds = env.get("JCNI_TIMEOUT");
        }
        return cl;
    }

    /** The deadline of each plugin exec: --timeout or $JCNI_TIMEOUT, in seconds, else {@code otherwise}. */
    Duration timeout(Duration otherwise) throws UsageException {
        if (timeoutSeconds == null || timeoutSeconds.isEmpty()) {
            return otherwise;
        }
        try {
            double s = Double.parseDouble(timeoutSeconds);
            if (s <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis((long) (s * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException("--timeout needs a positive number of seconds, got \"" + timeoutSeconds + "\"");
        }
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
