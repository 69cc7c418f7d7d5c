package dev.jcni.core.cli;

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
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inlineValue = null;
            if (a.startsWith("--") && a.indexOf('=') > 2) {
                inlineValue = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            switch (a) {
                case "-i":
                case "--ifname":
                    cl.ifName = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--cache-dir":
                    cl.cacheDir = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--timeout":
                    cl.timeoutSeconds = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--container-id":
                    cl.containerId = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--conflist":
                    cl.conflist = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--bin":
                    cl.binDir = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--system-plugins":
                    cl.systemPluginDir = inlineValue != null ? inlineValue : value(args, ++i, a);
                    break;
                case "--host-port":
                    cl.hostPort = inlineValue != null ? inlineValue : value(args, ++i, a);
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

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
