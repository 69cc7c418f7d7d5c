package dev.jcni.core.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Skel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a delegated plugin, as the reference's {@code invoke.DelegateAdd} and friends: what
 * {@code bridge} does with its IPAM plugin.
 *
 * <pre>
 * Delegator ipam = new Delegator();
 * DelegateRequest request = DelegateRequest.of(invocation);
 * byte[] config = Json.write(invocation.config()); // the whole config the plugin received
 * Result lease = ipam.add("host-local", config, request);
 * ...on a later failure: ipam.del("host-local", config, request);
 * </pre>
 *
 * <p>Each call looks the type up on the request's CNI_PATH ({@link PluginFinder}), runs it with
 * the request's environment and CNI_COMMAND set to the verb ({@link DelegateRequest#environment}),
 * the given config on stdin (the reference passes the complete config the calling plugin got)
 * and a deadline. A delegate's error object becomes a {@link CniException} with its code, msg and
 * details unchanged; what a delegate writes to stderr goes to the calling plugin's {@link Log}.
 *
 * <p>A delegate that is one of our own plugins, on our class path and found as our launcher,
 * may be answered in-process instead ({@link InProcessPlugins}): the same environment and stdin
 * go through the same {@code Skel}, and its answer is read exactly as the exec's would be.
 *
 * <p>The deadline defaults to 30 s, below the 60 s runtimes commonly give a whole plugin, so a
 * hung delegate still leaves the caller time to undo its own work and report the error.
 *
 * <p>Never call it from inside {@code NetNs.run} (see {@link ProcessRunner}).
 */
public final class Delegator {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final ProcessRunner runner;
    private final Duration timeout;
    private final InProcessPlugins inProcess;

    /** libcni's text-busy retries, a 30 s deadline, every delegate exec'ed. */
    public Delegator() {
        this(new ProcessRunner(), DEFAULT_TIMEOUT);
    }

    /** libcni's text-busy retries, a 30 s deadline; {@code inProcess} may answer delegates in-process. */
    public Delegator(InProcessPlugins inProcess) {
        this(new ProcessRunner(), DEFAULT_TIMEOUT, inProcess);
    }

    public Delegator(ProcessRunner runner, Duration timeout) {
        this(runner, timeout, InProcessPlugins.NONE);
    }

    public Delegator(ProcessRunner runner, Duration timeout, InProcessPlugins inProcess) {
        this.runner = runner;
        this.timeout = timeout;
        this.inProcess = inProcess;
    }

    /**
     * ADD: the delegate's result, read by its own {@code cniVersion} (the config's when it names
     * none, as libcni's fix-up does) into the internal model. Empty or unreadable output is an
     * error (code 6): a delegate that succeeded must print a result; a literal {@code null} is
     * an empty result, as in libcni.
     */
    public Result add(String type, byte[] config, DelegateRequest request) throws CniException {
        byte[] stdout = exec(Command.ADD, type, config, request);
        JsonNode tree;
        try {
            tree = Json.parse(stdout);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "delegate \"" + type + "\" printed no valid result",
                    PluginErrors.isBlank(stdout) ? "its ADD succeeded but printed nothing" : e.getMessage(), e);
        }
        try {
            return ResultCodec.parse(tree, configVersion(config));
        } catch (CniException e) {
            throw new CniException(e.code(), "invalid result from delegate \"" + type + "\": " + e.msg(), e.details(), e);
        }
    }

    /** DEL; its error is the caller's to propagate (spec: "must call delegated plugins' DEL; propagate their errors"). */
    public void del(String type, byte[] config, DelegateRequest request) throws CniException {
        exec(Command.DEL, type, config, request);
    }

    public void check(String type, byte[] config, DelegateRequest request) throws CniException {
        exec(Command.CHECK, type, config, request);
    }

    public void gc(String type, byte[] config, DelegateRequest request) throws CniException {
        exec(Command.GC, type, config, request);
    }

    public void status(String type, byte[] config, DelegateRequest request) throws CniException {
        exec(Command.STATUS, type, config, request);
    }

    private byte[] exec(Command verb, String type, byte[] config, DelegateRequest request) throws CniException {
        Path binary = PluginFinder.find(type, request.path());
        CniPlugin plugin = inProcess.pluginFor(type, binary);
        if (plugin != null) {
            Log.debug("delegate " + type + " " + verb + ": in-process, in place of " + binary);
            Skel.Outcome outcome = new Skel(type, plugin).runNested(request.environment(verb), config);
            if (outcome.exitCode() != 0) {
                // What the exec's stdout would have held; its stderr was our stderr already.
                throw PluginErrors.fromOutput(outcome.exitCode(), outcome.stdout(), new byte[0]);
            }
            return outcome.stdout();
        }
        ProcessRunner.Outcome outcome = PluginExec.run(runner, binary, request.environment(verb), config, timeout);
        boolean stderrIsTheError = outcome.exitCode() != 0 && PluginErrors.isBlank(outcome.stdout());
        if (!stderrIsTheError && !PluginErrors.isBlank(outcome.stderr())) {
            Log.warn("delegate " + type + " " + verb + ": " + new String(outcome.stderr(), StandardCharsets.UTF_8).trim());
        }
        return PluginExec.stdoutOrError(outcome, verb, type, binary, timeout);
    }

    /** The config's cniVersion, for a result that names none ("" meaning 0.1.0, as the codec reads it). */
    private static String configVersion(byte[] config) throws CniException {
        try {
            JsonNode v = Json.parse(config).get("cniVersion");
            return v != null && v.isTextual() ? v.textValue() : "";
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "cannot read the cniVersion of the delegated config",
                    e.getMessage(), e);
        }
    }
}
