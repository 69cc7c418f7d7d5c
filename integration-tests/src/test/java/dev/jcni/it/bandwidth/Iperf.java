package dev.jcni.it.bandwidth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.it.support.Cmd;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iperf3 between two namespaces: a server that serves until closed, and client runs read as JSON.
 * A run whose JSON has no totals is retried, not read: iperf3 can exit 0 with an "error" and no
 * results when it meets the server too early or under load.
 */
final class Iperf implements AutoCloseable {
    static final int PORT = 5201;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process server;

    /** Starts {@code iperf3 -s} with {@code prefix} (an {@code ip netns exec NS} or {@code nsenter} argv) in front. */
    Iperf(List<String> prefix) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("iperf3", "-s", "-p", Integer.toString(PORT)));
        server = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** One measurement's figures. */
    record Run(double receivedBitsPerSecond, long retransmits) {}

    /**
     * A client run from the namespace {@code clientNs} ({@code ip netns exec}) to {@code address}:
     * {@code seconds} measured after one omitted second (the bucket's burst). {@code reverse}:
     * the server sends.
     */
    static Run client(String clientNs, String address, boolean reverse, int seconds) throws Exception {
        List<String> argv = new ArrayList<>(Arrays.asList("ip", "netns", "exec", clientNs, "iperf3", "-c", address, "-p",
                Integer.toString(PORT), "-t", Integer.toString(seconds), "-O", "1", "-J", "--connect-timeout", "2000"));
        if (reverse) {
            argv.add("-R");
        }
        Cmd.Result r = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            r = Cmd.run(Duration.ofSeconds(seconds + 40), argv.toArray(new String[0]));
            if (r.ok()) {
                JsonNode json = JSON.readTree(r.stdout());
                JsonNode end = json.path("end");
                if (end.path("sum_received").has("bits_per_second")) {
                    return new Run(end.path("sum_received").path("bits_per_second").asDouble(),
                            end.path("sum_sent").path("retransmits").asLong());
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("iperf3 client failed: " + r.stderr() + " " + r.stdout());
    }

    @Override
    public void close() throws InterruptedException {
        server.destroyForcibly();
        server.waitFor(5, TimeUnit.SECONDS);
    }
}
