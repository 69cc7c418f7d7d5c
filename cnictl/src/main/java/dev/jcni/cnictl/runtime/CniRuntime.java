package dev.jcni.cnictl.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.os.process.ProcessRunner;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The libcni equivalent: runs a network's plugin chain for ADD, CHECK, DEL, GC and STATUS with
 * libcni's semantics (cni-protocol.md §4), and keeps the libcni result cache.
 *
 * <p>Differences from libcni, all on the side of safety: every plugin binary of the chain is
 * located before the first one runs (a missing plugin fails the verb before anything changes);
 * each exec has a deadline after which the plugin and its children are killed; the cache is
 * written atomically; GC is serialised against ADD/DEL with a host-wide lock; on DEL, capability
 * and CNI arguments the caller does not pass are taken from the cache (what podman does through
 * {@code GetNetworkListCachedConfig}), so portmap always gets its mappings back; CHECK does the same.
 *
 * <p>Never prints: plugin stderr, timings and requests reach the caller through an
 * {@link ExecObserver}.
 */
public final class CniRuntime {
    private final PluginLocator locator;
    private final PluginExecutor executor;
    private final ResultCache cache;

    private CniRuntime(Builder b) {
        this.locator = new PluginLocator(b.pluginPath);
        this.executor = new PluginExecutor(new ProcessRunner(b.textBusyRetries, b.textBusyDelay), b.environment,
                b.timeout, b.observer);
        this.cache = new ResultCache(b.cacheDir);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; defaults are libcni's and CRI-O's (60 s per plugin). */
    public static final class Builder {
        private List<Path> pluginPath = List.of();
        private Path cacheDir = ResultCache.DEFAULT_DIR;
        private Duration timeout = Duration.ofSeconds(60);
        private Map<String, String> environment = System.getenv();
        private ExecObserver observer = ExecObserver.NONE;
        private int textBusyRetries = 5;
        private Duration textBusyDelay = Duration.ofSeconds(1);

        /** The directories searched for plugins, in order (CNI_PATH). */
        public Builder pluginPath(List<Path> dirs) {
            this.pluginPath = List.copyOf(dirs);
            return this;
        }

        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** The deadline of each single plugin exec. */
        public Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        /** The environment plugins inherit (the CNI_* variables are added on top); default: this process's. */
        public Builder environment(Map<String, String> env) {
            this.environment = Map.copyOf(env);
            return this;
        }

        public Builder observer(ExecObserver o) {
            this.observer = o;
            return this;
        }

        /** libcni retries "text file busy" 5 times, 1 s apart. */
        public Builder textFileBusyRetry(int retries, Duration delay) {
            this.textBusyRetries = retries;
            this.textBusyDelay = delay;
            return this;
        }

        public CniRuntime build() {
            return new CniRuntime(this);
        }
    }

    /** The final result of an ADD: as the last plugin printed it (cniVersion filled in), and parsed. */
    public record AddResult(ObjectNode json, Result result) {}

    public ResultCache cache() {
        return cache;
    }

    public PluginLocator locator() {
        return locator;
    }

    // ---------------------------------------------------------------- ADD

    /**
     * Runs every plugin's ADD in order, each getting the previous one's result as
     * {@code prevResult}, then caches the final result. On failure nothing is cached and nothing
     * is undone: as with libcni, the caller must DEL.
     */
    public AddResult add(NetworkConfigList list, RuntimeConf rt) throws CniException {
        AttachmentNames.validate(list.name(), rt);
        List<Path> binaries = locateAll(list);
        RuntimeLock.Held held = RuntimeLock.forCacheDir(cache.cacheDir()).shared();
        try {
            ObjectNode prev = null;
            Result parsed = null;
            for (int i = 0; i < list.plugins().size(); i++) {
                PluginConfig plugin = list.plugins().get(i);
                ObjectNode request = RequestBuilder.attachment(list, plugin, prev, rt);
                byte[] out = execAttachment(Command.ADD, plugin, binaries.get(i), request, rt);
                try {
                    prev = resultOf(out, list.cniVersion());
                    parsed = ResultCodec.parse(prev, list.cniVersion());
                } catch (CniException e) {
                    throw failed(Command.ADD, plugin, e);
                }
            }
            cache.write(list.bytes(), list.name(), rt, prev);
            return new AddResult(prev, parsed);
        } finally {
            held.close();
        }
    }

    /**
     * An ADD's stdout as a result tree: {@code null} is an empty result, and a result without
     * {@code cniVersion} is taken to be in the config's version (libcni's fix for cni#895).
     */
    static ObjectNode resultOf(byte[] stdout, String configVersion) throws CniException {
        JsonNode tree;
        try {
            tree = Json.parse(stdout);
        } catch (Json.JsonSyntaxException e) {
            throw new CniException(CniException.DECODING_FAILURE, "failed to unmarshal raw result",
                    stdout.length == 0 ? "the plugin printed nothing" : e.getMessage());
        }
        if (tree.isNull()) {
            tree = Json.NODES.objectNode();
        }
        if (!tree.isObject()) {
            throw new CniException(CniException.DECODING_FAILURE, "failed to unmarshal raw result",
                    "expected a JSON object, got " + Json.toString(tree));
        }
        ObjectNode result = (ObjectNode) tree;
        JsonNode v = result.get("cniVersion");
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            result.put("cniVersion", configVersion);
        }
        return result;
    }

    // ---------------------------------------------------------------- DEL

    /**
     * Runs every plugin's DEL in reverse order, each with the same cached final result as
     * {@code prevResult} (from 0.4.0). Stops at the first failure and keeps the cache so the DEL
     * can be retried; removes the cache entry on success. Succeeds with no cache entry at all.
     */
    public void del(NetworkConfigList list, RuntimeConf rt) throws CniException {
        List<Path> binaries = locateAll(list);
        RuntimeLock.Held held = RuntimeLock.forCacheDir(cache.cacheDir()).shared();
        try {
            delLocked(list, rt, binaries);
        } finally {
            held.close();
        }
    }

    private void delLocked(NetworkConfigList list, RuntimeConf rt, List<Path> binaries) throws CniException {
        boolean withPrevResult = SpecVersions.atLeast(list.cniVersion(), CniVersion.V0_4_0);
        CachedAttachment entry = null;
        ObjectNode prevResult = null;
        try {
            entry = cache.read(list.name(), rt);
            if (withPrevResult && entry != null) {
                prevResult = entry.resultIn(list.cniVersion());
            }
        } catch (CniException e) {
            // libcni: an unusable cache must not block teardown; drop it and DEL without prevResult.
            cache.delete(list.name(), rt);
        }
        RuntimeConf effective = withCachedArguments(rt, entry);
        for (int i = list.plugins().size() - 1; i >= 0; i--) {
            PluginConfig plugin = list.plugins().get(i);
            ObjectNode request = RequestBuilder.attachment(list, plugin, prevResult, effective);
            execAttachment(Command.DEL, plugin, binaries.get(i), request, effective);
        }
        cache.delete(list.name(), rt);
    }

    // ---------------------------------------------------------------- CHECK

    /**
     * CHECK: refused below 0.4.0 (even with disableCheck, as libcni), a no-op with disableCheck,
     * otherwise every plugin in order with the cached result, stopping at the first error.
     */
    public void check(NetworkConfigList list, RuntimeConf rt) throws CniException {
        if (!SpecVersions.atLeast(list.cniVersion(), CniVersion.V0_4_0)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION,
                    "configuration version \"" + list.cniVersion() + "\" does not support the CHECK command");
        }
        if (list.disableCheck()) {
            return;
        }
        CachedAttachment entry;
        ObjectNode cached;
        try {
            entry = cache.read(list.name(), rt);
            cached = entry == null ? null : entry.resultIn(list.cniVersion());
        } catch (CniException e) {
            throw new CniException(e.code(), "failed to get network \"" + list.name() + "\" cached result: " + e.msg(),
                    e.details(), e);
        }
        // CHECK must see the ADD's arguments (spec: all parameters as on ADD), so portmap checks its mappings.
        RuntimeConf effective = withCachedArguments(rt, entry);
        List<Path> binaries = locateAll(list);
        for (int i = 0; i < list.plugins().size(); i++) {
            PluginConfig plugin = list.plugins().get(i);
            ObjectNode request = RequestBuilder.attachment(list, plugin, cached, effective);
            execAttachment(Command.CHECK, plugin, binaries.get(i), request, effective);
        }
    }

    // ---------------------------------------------------------------- GC

    /**
     * GC: DEL every cached attachment of this network that is not in {@code valid} (all of them
     * when {@code valid} is null, as cnitool's gc), with its cached netns, CNI args and capability
     * args; then, from 1.1.0, the GC verb to every plugin. Errors are collected, not fatal.
     * Holds the host-wide lock exclusively: no ADD or DEL runs meanwhile.
     */
    public void gc(NetworkConfigList list, List<GcAttachment> valid) throws CniException {
        if (list.disableGC()) {
            return;
        }
        List<CniException> errors = new ArrayList<>();
        RuntimeLock.Held held = RuntimeLock.forCacheDir(cache.cacheDir()).exclusive();
        try {
            deleteStaleAttachments(list, valid, errors);
            if (SpecVersions.atLeast(list.cniVersion(), CniVersion.V1_1_0)) {
                for (PluginConfig plugin : list.plugins()) {
                    try {
                        execNetwork(Command.GC, plugin, RequestBuilder.gc(list, plugin, valid));
                    } catch (CniException e) {
                        errors.add(new PluginFailure("failed to GC plugin " + plugin.type() + ": ", Command.GC, plugin.type(), e));
                    }
                }
            }
        } finally {
            held.close();
        }
        if (!errors.isEmpty()) {
            throw joined(list.name(), errors);
        }
    }

    /** GC's first half: DEL every cached attachment of the network that {@code valid} does not name. */
    private void deleteStaleAttachments(NetworkConfigList list, List<GcAttachment> valid, List<CniException> errors) {
        List<CachedAttachment> cached;
        try {
            cached = cache.list();
        } catch (CniException e) {
            errors.add(e);
            return;
        }
        Set<GcAttachment> keep = valid == null ? Set.of() : new HashSet<>(valid);
        // Located only once there is something to delete: a missing plugin must not keep GC from
        // running the GC verb of the plugins that are there.
        List<Path> binaries = null;
        for (CachedAttachment a : cached) {
            if (!a.network().equals(list.name()) || keep.contains(new GcAttachment(a.containerId(), a.ifName()))) {
                continue;
            }
            try {
                if (binaries == null) {
                    binaries = locateAll(list);
                }
                delLocked(list, a.runtimeConf(), binaries);
            } catch (CniException e) {
                errors.add(new CniException(e.code(), "failed to delete stale attachment " + a.containerId() + " "
                        + a.ifName() + ": " + e.msg(), e.details(), e));
            }
        }
    }

    /** GC's errors as one: the only one, or all of them under the first one's code, each kept as suppressed. */
    private static CniException joined(String network, List<CniException> errors) {
        if (errors.size() == 1) {
            return errors.get(0);
        }
        StringBuilder all = new StringBuilder();
        for (CniException e : errors) {
            all.append(all.length() == 0 ? "" : "; ").append(e.getMessage());
        }
        CniException joined = new CniException(errors.get(0).code(),
                "GC of network \"" + network + "\" had " + errors.size() + " errors", all.toString());
        for (CniException e : errors) {
            joined.addSuppressed(e);
        }
        return joined;
    }

    // ---------------------------------------------------------------- STATUS

    /** STATUS: nothing below 1.1.0; else every plugin in order, the first error returned with its code (50/51). */
    public void status(NetworkConfigList list) throws CniException {
        if (!SpecVersions.atLeast(list.cniVersion(), CniVersion.V1_1_0)) {
            return;
        }
        for (PluginConfig plugin : list.plugins()) {
            try {
                execNetwork(Command.STATUS, plugin, RequestBuilder.status(list, plugin));
            } catch (CniException e) {
                throw failed(Command.STATUS, plugin, e);
            }
        }
    }

    // ---------------------------------------------------------------- VERSION, validation, cache

    /** The VERSION answer of plugin {@code type} found on the plugin path. */
    public PluginVersionInfo version(String type) throws CniException {
        Path binary = locator.find(type);
        try {
            return VersionProbe.probe(executor, type, binary);
        } catch (CniException e) {
            throw new PluginFailure("plugin type=\"" + type + "\" failed (version): ", Command.VERSION, type, e);
        }
    }

    /**
     * libcni's {@code ValidateNetworkList}: every plugin exists and supports the list's version.
     * Returns the capabilities enabled anywhere in the chain.
     */
    public List<String> validate(NetworkConfigList list) throws CniException {
        String wanted = CniVersion.orDefault(list.cniVersion());
        List<String> problems = new ArrayList<>();
        Set<String> caps = new LinkedHashSet<>();
        for (PluginConfig plugin : list.plugins()) {
            try {
                PluginVersionInfo info = version(plugin.type());
                if (!info.supports(wanted)) {
                    problems.add("plugin " + plugin.type() + " does not support config version \"" + wanted + "\"");
                }
            } catch (CniException e) {
                problems.add(e.getMessage());
            }
            for (Map.Entry<String, Boolean> c : plugin.capabilities().entrySet()) {
                if (c.getValue()) {
                    caps.add(c.getKey());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "network \"" + list.name() + "\" is not usable",
                    String.join("; ", problems));
        }
        return new ArrayList<>(caps);
    }

    /** The cached final result converted to the list's version, or null if none is cached. */
    public ObjectNode cachedResult(NetworkConfigList list, RuntimeConf rt) throws CniException {
        CachedAttachment entry = cache.read(list.name(), rt);
        return entry == null ? null : entry.resultIn(list.cniVersion());
    }

    /**
     * The config an attachment was made with, from the cache ({@code GetNetworkListCachedConfig}),
     * or null: lets a runtime tear down after the config file changed or vanished.
     */
    public NetworkConfigList cachedConfig(String network, RuntimeConf rt) throws CniException {
        CachedAttachment entry = cache.read(network, rt);
        if (entry == null || entry.config() == null) {
            return null;
        }
        return ConfigLoader.fromBytes(entry.config(), cache.path(network, rt) + " (cached config)");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The caller's arguments, completed from the cache entry: capability arguments and CNI_ARGS
     * the caller did not pass are the ones cached at ADD (podman does this through
     * {@code GetNetworkListCachedConfig}); what the caller passes wins.
     */
    private static RuntimeConf withCachedArguments(RuntimeConf rt, CachedAttachment entry) {
        if (entry == null) {
            return rt;
        }
        RuntimeConf effective = rt;
        if (!rt.hasCapabilityArgs() && entry.capabilityArgs() != null) {
            effective = effective.withCapabilityArgs(entry.capabilityArgs());
        }
        if (rt.cniArgs().isEmpty() && !entry.cniArgs().isEmpty()) {
            effective = effective.withCniArgs(entry.cniArgs());
        }
        return effective;
    }

    private List<Path> locateAll(NetworkConfigList list) throws CniException {
        List<Path> out = new ArrayList<>(list.plugins().size());
        for (PluginConfig p : list.plugins()) {
            try {
                out.add(locator.find(p.type()));
            } catch (CniException e) {
                throw new CniException(e.code(), p.description() + ": " + e.msg(), e.details(), e);
            }
        }
        return out;
    }

    /** One plugin's ADD, DEL or CHECK, with the attachment's CNI_* variables; returns its stdout. */
    private byte[] execAttachment(Command command, PluginConfig plugin, Path binary, ObjectNode request, RuntimeConf rt)
            throws PluginFailure {
        try {
            return executor.exec(command, plugin.type(), binary, PluginExecutor.attachmentEnv(rt, locator.pathString()),
                    Json.write(request));
        } catch (CniException e) {
            throw failed(command, plugin, e);
        }
    }

    /**
     * One plugin's GC or STATUS, which name no attachment. The plugin is looked up here, one at a
     * time, so GC can collect every plugin's error and STATUS report the first.
     */
    private void execNetwork(Command command, PluginConfig plugin, ObjectNode request) throws CniException {
        executor.exec(command, plugin.type(), locator.find(plugin.type()), PluginExecutor.networkEnv(locator.pathString()),
                Json.write(request));
    }

    /** libcni's wording: {@code plugin type="portmap" failed (delete): <the plugin's msg>}. */
    private static PluginFailure failed(Command command, PluginConfig plugin, CniException cause) {
        String verb = command == Command.DEL ? "delete" : command.name().toLowerCase(Locale.ROOT);
        return new PluginFailure(plugin.description() + " failed (" + verb + "): ", command, plugin.type(), cause);
    }
}
