package dev.jcni.it.os;

import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftErrors;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftRunner;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the real {@code nft} (Debian 12: nftables 1.0.6) inside a test namespace, as an
 * {@link NftRunner}: batches through {@code ip netns exec NS nft -j -f -}, lists through
 * {@code ip netns exec NS nft -j list ...}. Never touches the host's own ruleset. Errors go
 * through {@link NftErrors}, so the tests also check the classification of nft's real texts.
 * An oracle apart from the production runners (LibNftablesRunner, NftProcessRunner, which
 * NftRunnersKernelTest checks): it lists through nft's command line, not its JSON parser.
 */
final class NftCli implements NftRunner {
    static final String NFT = "/usr/sbin/nft";

    private final String namespace;

    NftCli(String namespace) {
        this.namespace = namespace;
    }

    record Result(int exitCode, String stdout, String stderr) {}

    @Override
    public void apply(NftBatch batch) throws NftException {
        applyJson(batch.toJson());
    }

    void applyJson(String json) throws NftException {
        Result r = run(json, NFT, "-j", "-f", "-");
        if (r.exitCode() != 0) {
            throw NftErrors.fromErrorText("nft apply", json, r.stderr());
        }
    }

    @Override
    public void check(NftBatch batch) throws NftException {
        String json = batch.toJson();
        Result r = run(json, NFT, "-c", "-j", "-f", "-");
        if (r.exitCode() != 0) {
            throw NftErrors.fromErrorText("nft check", json, r.stderr());
        }
    }

    @Override
    public NftListing list(ListTarget target) throws NftException {
        return NftListing.parse(listJson(target));
    }

    /** {@code nft -j list <target>}, the command line an operator would type. */
    String listJson(ListTarget target) throws NftException {
        List<String> cmd = new ArrayList<>();
        cmd.add(NFT);
        cmd.add("-j");
        // target.describe() is "nft list table inet cni_hostport": the words after "nft".
        List<String> words = Arrays.asList(target.describe().split(" "));
        cmd.addAll(words.subList(1, words.size()));
        Result r = run(null, cmd.toArray(new String[0]));
        if (r.exitCode() != 0) {
            throw NftErrors.fromErrorText(target.describe(), target.toJson(), r.stderr());
        }
        return r.stdout();
    }

    /** Runs {@code command} in the namespace, with {@code stdin} (or nothing) as input. */
    Result run(String stdin, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        File in = null;
        File out = null;
        File err = null;
        try {
            in = File.createTempFile("jcni-nft", ".json");
            out = File.createTempFile("jcni-nft", ".out");
            err = File.createTempFile("jcni-nft", ".err");
            Files.writeString(in.toPath(), stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(full).redirectInput(in).redirectOutput(out).redirectError(err).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", full) + "` did not finish in 20 s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + full + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + full, e);
        } finally {
            for (File f : new File[] {in, out, err}) {
                if (f != null && !f.delete()) {
                    f.deleteOnExit();
                }
            }
        }
    }
}
