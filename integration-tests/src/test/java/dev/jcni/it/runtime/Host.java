package dev.jcni.it.runtime;

import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shell access to the host for root-only tests: commands, unique names, root detection. */
final class Host {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ProcessRunner RUNNER = new ProcessRunner();

    private Host() {}

    record Out(int code, String text) {
        boolean ok() {
            return code == 0;
        }
    }

    /** stdout and stderr as one text; 124 on timeout, 127 if it cannot run: cleanup code calls this too, so it never throws. */
    static Out run(String... argv) {
        try {
            ProcessRunner.Outcome o = RUNNER.run(List.of(argv), null, null, Duration.ofSeconds(30));
            if (o.timedOut()) {
                return new Out(124, "timeout: " + Arrays.toString(argv));
            }
            return new Out(o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8)
                    + new String(o.stderr(), StandardCharsets.UTF_8));
        } catch (InterruptedIOException e) {
            return new Out(130, "interrupted");
        } catch (IOException e) {
            return new Out(127, e.toString());
        }
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    /** A /24 in 10.197.0.0/16 that no route on the host covers. */
    static String freeSubnet() {
        for (int i = 0; i < 50; i++) {
            String subnet = "10.197." + RANDOM.nextInt(250) + ".0/24";
            boolean used = false;
            for (String l : run("ip", "-4", "route", "show", "match", subnet).text().split("\n")) {
                used |= !l.isBlank() && !l.startsWith("default");
            }
            if (!used) {
                return subnet;
            }
        }
        throw new IllegalStateException("no free subnet in 10.197.0.0/16");
    }

    static boolean linkExists(String name) {
        return run("ip", "link", "show", "dev", name).ok();
    }

    /** The host's own non-loopback IPv4 address (default route source, else first global), or null. */
    static String ownAddress(String excludeDevice) {
        List<String> global = new ArrayList<>();
        for (String l : run("ip", "-4", "-o", "addr", "show", "scope", "global").text().split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length > 3 && !f[1].equals(excludeDevice)) {
                global.add(f[3].substring(0, f[3].indexOf('/')));
            }
        }
        String[] r = run("ip", "-4", "route", "get", "1.1.1.1").text().trim().split("\\s+");
        for (int i = 0; i + 1 < r.length; i++) {
            if (r[i].equals("src") && global.contains(r[i + 1])) {
                return r[i + 1];
            }
        }
        return global.isEmpty() ? null : global.get(0);
    }
}
