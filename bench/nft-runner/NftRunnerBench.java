import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftRunners;
import dev.jcni.core.os.nft.WorkedExample;
import dev.jcni.core.protocol.Json;
import java.util.Arrays;

/**
 * What bench/nft-runner.sh runs, in the namespace the script put it in (never the host's):
 *
 *   once RUNNER        one portmap ADD the way a one-shot plugin would do it: parse a request,
 *                      choose the runner (probe included), apply the static part and one
 *                      attachment as one batch (the worked example's 00-base +
 *                      10-add-container-a), list the table back
 *   once none          the same JVM work without nftables (parse and build only)
 *   phases RUNNER      "once", printing the microseconds of each step inside the JVM: parse the
 *                      request and build the batch, choose the runner (the probe loads the
 *                      library or finds nft), apply, list
 *   percall RUNNER N   in one JVM: warm up, then N times (apply the same batch again, list the
 *                      table, apply a batch that changes nothing); prints a table row of median
 *                      and p90 per call in milliseconds
 *   json               prints the ADD batch (for the nft CLI baseline)
 *   train              both runners once each (the start-up cache's training run)
 *
 * RUNNER is a backend name: libnftables or process. No lambdas, as on a plugin's start path.
 * The batch is chain-core's test WorkedExample (its golden tests check it against the
 * reference's appendix JSON); bench/nft-runner.sh compiles that source into the bench jar.
 */
public final class NftRunnerBench {
    /** A portmap request as a runtime sends it (stdin), for the parse every plugin starts with. */
    private static final String REQUEST = "{\"cniVersion\":\"1.0.0\",\"name\":\"bench\",\"type\":\"portmap\",\"snat\":true,"
            + "\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":{\"portMappings\":["
            + "{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},"
            + "{\"hostPort\":8080,\"containerPort\":81,\"protocol\":\"udp\"},"
            + "{\"hostPort\":8083,\"containerPort\":83,\"protocol\":\"tcp\",\"hostIP\":\"192.168.0.2\"}]},"
            + "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"}],"
            + "\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1\",\"interface\":0},"
            + "{\"address\":\"2001:db8::2/64\",\"interface\":0}]}}";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "once":
                once(args[1]);
                break;
            case "phases":
                once(args[1], true);
                break;
            case "percall":
                perCall(args[1], Integer.parseInt(args[2]));
                break;
            case "json":
                System.out.println(new WorkedExample().baseAndAddContainerA().toJson());
                break;
            case "train":
                once("libnftables");
                once("process");
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void once(String runnerName) throws Exception {
        once(runnerName, false);
    }

    /** With {@code phases}, prints how long each step took, in ms: build, choose, apply, list. */
    private static void once(String runnerName, boolean phases) throws Exception {
        long t0 = System.nanoTime();
        // Every plugin parses its request first (and pays the JSON parser's first use there, e.g.
        // BigDecimal's static initialiser): so does every mode here, the baseline included.
        JsonNode request = Json.parse(REQUEST);
        if (request.path("runtimeConfig").path("portMappings").size() != 3) {
            throw new AssertionError("request not parsed");
        }
        WorkedExample example = new WorkedExample();
        NftBatch add = example.baseAndAddContainerA();
        String json = add.toJson();
        if ("none".equals(runnerName)) {
            if (json.length() < 1000) {
                throw new AssertionError("batch too small");
            }
            return;
        }
        long t1 = System.nanoTime();
        NftRunner runner = NftRunners.choose(runnerName, NftRunners.defaultBackends());
        long t2 = System.nanoTime();
        runner.apply(add);
        long t3 = System.nanoTime();
        NftListing l = runner.list(example.listTable());
        long t4 = System.nanoTime();
        if (l.chains().size() != 5) {
            throw new AssertionError("expected 5 chains, listed " + l.chains().size());
        }
        if (phases) {
            System.out.println((t1 - t0) / 1000 + " " + (t2 - t1) / 1000 + " " + (t3 - t2) / 1000 + " " + (t4 - t3) / 1000);
        }
    }

    private static void perCall(String runnerName, int n) throws Exception {
        WorkedExample example = new WorkedExample();
        NftBatch add = example.baseAndAddContainerA();
        ListTarget list = example.listTable();
        NftRunner runner = NftRunners.choose(runnerName, NftRunners.defaultBackends());
        for (int i = 0; i < Math.min(50, n); i++) {
            runner.apply(add);
            runner.list(list);
        }
        // The table exists: "add table" changes nothing, so its cost is the runner's plus one
        // empty kernel transaction, without the ADD's rule flush and re-add.
        NftBatch noop = Nft.batch().add(example.table).build();
        long[] apply = new long[n];
        long[] listing = new long[n];
        long[] empty = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            runner.apply(add);
            long t1 = System.nanoTime();
            runner.list(list);
            long t2 = System.nanoTime();
            runner.apply(noop);
            long t3 = System.nanoTime();
            apply[i] = t1 - t0;
            listing[i] = t2 - t1;
            empty[i] = t3 - t2;
        }
        System.out.println("| " + runnerName + " | " + ms(apply) + " | " + ms(listing) + " | " + ms(empty) + " |");
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** "median / p90" in milliseconds. */
    private static String ms(long[] nanos) {
        return String.format("%.2f / %.2f", percentile(nanos, 50) / 1e6, percentile(nanos, 90) / 1e6);
    }
}
