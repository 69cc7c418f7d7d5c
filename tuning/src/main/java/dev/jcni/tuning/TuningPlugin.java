package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import dev.jcni.core.skel.PrevResult;
import dev.jcni.core.skel.Sandbox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tuning} meta-plugin: sysctls and link attributes of CNI_IFNAME inside the sandbox,
 * config-compatible with the reference plugin. Beyond it: DEL restores sysctls too, a failed
 * ADD undoes its own changes, CHECK reports every drift at once and ignores what nobody
 * configured, GC removes backups of attachments that no longer exist, STATUS answers.
 *
 * <p>The verbs orchestrate; the work on a sandbox is {@link TuningSession}'s, the way to a
 * sandbox {@link Sandboxes}' (the kernel, or a fake in unit tests), the backups
 * {@link BackupStore}'s.
 */
public final class TuningPlugin implements CniPlugin {
    public static final String NAME = "tuning";

    private final Sandboxes sandboxes;

    public TuningPlugin() {
        this(Sandboxes.KERNEL);
    }

    TuningPlugin(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    public static void main(String[] args) {
        PluginMain.run(NAME, new TuningPlugin());
    }

    @Override
    public String about() {
        return "jcni tuning plugin: sysctls and link attributes inside the sandbox";
    }

    @Override
    public List<String> supportedVersions() {
        return CniVersion.ALL;
    }

    /** Validates everything (config, allowlist, that the answer can be printed), then changes the sandbox. */
    @Override
    public Result add(Invocation inv) throws CniException {
        TuningConfig config = TuningConfig.parse(inv);
        Result prev = PrevResult.require(inv, NAME);
        PrevResult.requirePrintable(prev, inv.cniVersion());
        List<SysctlKey> keys = resolveKeys(config, inv.ifName());
        SysctlAllowlist allowlist = SysctlAllowlist.load(TuningDefaults.allowlist(inv.node()));
        for (SysctlKey key : keys) {
            allowlist.check(key.configured());
        }
        if (keys.isEmpty() && !config.changesLink()) {
            return prev;
        }
        BackupStore store = new BackupStore(config.dataDir());
        Log.timing("config validated");
        return sandboxes.run(inv, new Sandboxes.Work<Result>() {
            @Override
            public Result run(SandboxTarget target) throws CniException {
                return applyWithBackup(new TuningSession(target, inv.ifName()), store, config, keys, inv, prev);
            }
        });
    }

    /**
     * Saves the originals, applies, and builds the result, all in the sandbox. Any failure after
     * the backup is written (a CNI error, or an unchecked one: jcnid fails a request past its
     * deadline at its next {@link Log#timing} mark) puts the sandbox and the backup file back as
     * they were before. So the result is built here too: once the sandbox is left, its changes
     * can no longer be undone, and nothing may fail after that.
     */
    private static Result applyWithBackup(TuningSession session, BackupStore store, TuningConfig config,
                                          List<SysctlKey> keys, Invocation inv, Result prev) throws CniException {
        TuningBackup originals = session.captureOriginals(config, keys, inv.networkName(), inv.containerId());
        TuningBackup previous = store.read(inv.containerId(), inv.ifName());
        store.write(previous == null ? originals : previous.mergedWith(originals));
        try {
            Log.timing("backup written");
            session.apply(config, keys, originals);
            Log.timing("applied");
            MacAddress mac = config.link().has(TunableAttribute.MAC) ? session.currentMac() : null;
            return withMac(prev, inv.ifName(), mac);
        } catch (CniException | RuntimeException e) {
            session.undo();
            putBack(store, previous, inv);
            throw e;
        }
    }

    /** The backup file as it was before this ADD: none, or the previous ADD's. */
    private static void putBack(BackupStore store, TuningBackup previous, Invocation inv) {
        if (previous == null) {
            store.delete(inv.containerId(), inv.ifName());
            return;
        }
        try {
            store.write(previous);
        } catch (CniException e) {
            Log.warn("undo: cannot put back the tuning backup of " + inv.containerId() + "/" + inv.ifName() + ": " + e.getMessage());
        }
    }

    /** {@code prev} with the container interface's MAC set to {@code mac} (none: {@code prev} as it is). */
    private static Result withMac(Result prev, String ifName, MacAddress mac) {
        if (mac == null) {
            return prev;
        }
        int index = interfaceIndex(prev, ifName);
        return index < 0 ? prev : prev.withInterface(index, prev.interfaces().get(index).withMac(mac.toString()));
    }

    /**
     * Restores the backup, validated as untrusted input, then deletes it. Best effort and always
     * successful once the config is usable: a runtime retries a failing DEL forever. A backup is
     * never restored into the host's own namespace: it is dropped with a warning.
     */
    @Override
    public void del(Invocation inv) throws CniException {
        BackupStore store = new BackupStore(TuningDefaults.dataDir(inv.config(), inv.node()));
        TuningBackup backup = store.read(inv.containerId(), inv.ifName());
        if (backup == null) {
            // Nothing was changed, or the backup is unusable (already logged). Either way the
            // attachment's entry goes: after DEL nothing of the attachment remains, and removing
            // a directory entry never follows it (a planted symbolic link goes, not its target).
            store.delete(inv.containerId(), inv.ifName());
            return;
        }
        String attachment = inv.containerId() + "/" + inv.ifName();
        Sandbox.Presence where;
        try {
            where = sandboxes.runIfSandbox(inv, new Sandboxes.Work<Void>() {
                @Override
                public Void run(SandboxTarget target) {
                    for (String problem : new TuningSession(target, inv.ifName()).restore(backup)) {
                        Log.warn(problem);
                    }
                    return null;
                }
            });
        } catch (CniException e) {
            // DEL is best effort: a runtime retries a failing DEL forever, so report and go on.
            Log.warn("cannot restore the tuning backup of " + attachment + ": " + e.getMessage());
            where = Sandbox.Presence.SANDBOX;
        }
        if (where == Sandbox.Presence.HOST) {
            Log.warn("CNI_NETNS " + inv.netns() + " is the host's own network namespace: not restoring the tuning backup of "
                    + attachment + " there, dropping it");
        } else if (where == Sandbox.Presence.GONE) {
            Log.info("sandbox namespace is gone; dropping the backup of " + attachment);
        }
        store.delete(inv.containerId(), inv.ifName());
    }

    @Override
    public void check(Invocation inv) throws CniException {
        TuningConfig config = TuningConfig.parse(inv);
        PrevResult.require(inv, NAME);
        List<SysctlKey> keys = resolveKeys(config, inv.ifName());
        List<String> drift = sandboxes.run(inv, new Sandboxes.Work<List<String>>() {
            @Override
            public List<String> run(SandboxTarget target) throws CniException {
                return new TuningSession(target, inv.ifName()).drift(config, keys);
            }
        });
        if (!drift.isEmpty()) {
            throw new CniException(CniException.CHECK_DRIFT, "tuning of " + inv.ifName() + " differs from its configuration",
                    String.join("; ", drift));
        }
    }

    @Override
    public void gc(Invocation inv) throws CniException {
        new BackupCollector(new BackupStore(TuningDefaults.dataDir(inv.config(), inv.node()))).collect(inv);
    }

    @Override
    public void status(Invocation inv) throws CniException {
        try {
            SysctlAllowlist.load(TuningDefaults.allowlist(inv.node()));
        } catch (CniException e) {
            throw new CniException(CniException.NOT_AVAILABLE, "tuning cannot serve ADD: " + e.msg(), e.details());
        }
        Path dir = Path.of(TuningDefaults.dataDir(inv.config(), inv.node()));
        Path existing = dir;
        while (existing != null && !existing.toFile().exists()) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.toFile().isDirectory() || !existing.toFile().canWrite()) {
            throw new CniException(CniException.NOT_AVAILABLE, "tuning cannot serve ADD: data directory " + dir + " is not writable",
                    "backups of original values are kept there");
        }
    }

    private static List<SysctlKey> resolveKeys(TuningConfig config, String ifName) throws CniException {
        List<SysctlKey> keys = new ArrayList<>();
        for (String key : config.sysctls().keySet()) {
            keys.add(SysctlKey.resolve(key, ifName));
        }
        return keys;
    }

    /** The container-side interface of the result: the reference matches by name only. */
    private static int interfaceIndex(Result result, String ifName) {
        int sandboxed = result.sandboxInterfaceIndex(ifName);
        if (sandboxed >= 0) {
            return sandboxed;
        }
        for (int i = 0; i < result.interfaces().size(); i++) {
            if (result.interfaces().get(i).name().equals(ifName)) {
                return i;
            }
        }
        return -1;
    }
}
