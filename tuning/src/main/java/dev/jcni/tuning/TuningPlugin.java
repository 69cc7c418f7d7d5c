package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tuning} meta-plugin: sysctls and link attributes of CNI_IFNAME inside the sandbox,
 * config-compatible with the reference plugin. Beyond it: DEL restores sysctls too, a failed
 * ADD undoes its own changes, CHECK reports every drift at once and ignores what nobody
 * configured, GC removes backups of attachments that no longer exist, STATUS answers.
 */
public final class TuningPlugin implements CniPlugin {
    public static final String NAME = "tuning";

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

    @Override
    public Result add(Invocation inv) throws CniException {
        TuningConfig config = TuningConfig.parse(inv);
        Result prev = requirePrevResult(inv);
        List<SysctlKey> keys = resolveKeys(config, inv.ifName());
        SysctlAllowlist allowlist = SysctlAllowlist.load(config.allowlistFile());
        for (SysctlKey key : keys) {
            allowlist.check(key.configured());
        }
        if (keys.isEmpty() && !config.changesLink()) {
            return prev;
        }
        BackupStore store = new BackupStore(config.dataDir());
        Log.timing("config validated");
        MacAddress mac = inSandbox(inv, new NetNs.Task<MacAddress, CniException>() {
            @Override
            public MacAddress run() throws CniException, OsException {
                Log.timing("in sandbox");
                try (RtNetlink nl = RtNetlink.open()) {
                    TuningSession session = new TuningSession(new KernelTarget(new Links(nl)), inv.ifName());
                    return applyWithBackup(session, store, config, keys, inv);
                }
            }
        });
        if (mac == null) {
            return prev;
        }
        int index = interfaceIndex(prev, inv.ifName());
        return index < 0 ? prev : prev.withInterface(index, prev.interfaces().get(index).withMac(mac.toString()));
    }

    /** Saves the originals, then applies; a failed apply leaves the backup file as it was before. */
    private static MacAddress applyWithBackup(TuningSession session, BackupStore store, TuningConfig config,
                                          List<SysctlKey> keys, Invocation inv) throws CniException {
        TuningBackup originals = session.captureOriginals(config, keys, inv.networkName(), inv.containerId());
        TuningBackup previous = store.read(inv.containerId(), inv.ifName());
        store.write(previous == null ? originals : previous.mergedWith(originals));
        Log.timing("backup written");
        try {
            session.apply(config, keys, originals);
            Log.timing("applied");
        } catch (CniException e) {
            if (previous == null) {
                store.delete(inv.containerId(), inv.ifName());
            } else {
                store.write(previous);
            }
            throw e;
        }
        return config.mac() == null ? null : session.currentMac();
    }

    @Override
    public void del(Invocation inv) throws CniException {
        BackupStore store = new BackupStore(TuningConfig.dataDirOf(inv.config()));
        TuningBackup backup = store.read(inv.containerId(), inv.ifName());
        if (backup == null) {
            // Nothing was changed, or the backup is unreadable (already logged): nothing to restore.
            store.delete(inv.containerId(), inv.ifName());
            return;
        }
        if (inv.netns().isEmpty() || !NetNs.exists(inv.netns())) {
            Log.info("sandbox namespace is gone; dropping the backup of " + inv.containerId() + "/" + inv.ifName());
            store.delete(inv.containerId(), inv.ifName());
            return;
        }
        try {
            List<String> problems = NetNs.run(inv.netns(), new NetNs.Task<List<String>, RuntimeException>() {
                @Override
                public List<String> run() throws OsException {
                    try (RtNetlink nl = RtNetlink.open()) {
                        return new TuningSession(new KernelTarget(new Links(nl)), inv.ifName()).restore(backup);
                    }
                }
            });
            // DEL is best effort: a runtime retries a failing DEL forever, so report and go on.
            for (String p : problems) {
                Log.warn(p);
            }
        } catch (NotFoundException e) {
            Log.info("sandbox namespace vanished during DEL: " + e.getMessage());
        } catch (OsException e) {
            Log.warn("cannot enter the sandbox to restore tuning: " + e.getMessage());
        }
        store.delete(inv.containerId(), inv.ifName());
    }

    @Override
    public void check(Invocation inv) throws CniException {
        TuningConfig config = TuningConfig.parse(inv);
        requirePrevResult(inv);
        List<SysctlKey> keys = resolveKeys(config, inv.ifName());
        List<String> drift = inSandbox(inv, new NetNs.Task<List<String>, CniException>() {
            @Override
            public List<String> run() throws CniException, OsException {
                try (RtNetlink nl = RtNetlink.open()) {
                    return new TuningSession(new KernelTarget(new Links(nl)), inv.ifName()).drift(config, keys);
                }
            }
        });
        if (!drift.isEmpty()) {
            throw new CniException(CniException.CHECK_DRIFT, "tuning of " + inv.ifName() + " differs from its configuration",
                    String.join("; ", drift));
        }
    }

    @Override
    public void gc(Invocation inv) throws CniException {
        new BackupCollector(new BackupStore(TuningConfig.dataDirOf(inv.config()))).collect(inv);
    }

    @Override
    public void status(Invocation inv) throws CniException {
        String allowlistFile = inv.config().string("allowlistFile");
        try {
            SysctlAllowlist.load(allowlistFile == null || allowlistFile.isEmpty() ? SysctlAllowlist.DEFAULT_FILE : allowlistFile);
        } catch (CniException e) {
            throw new CniException(CniException.NOT_AVAILABLE, "tuning cannot serve ADD: " + e.msg(), e.details());
        }
        Path dir = Path.of(TuningConfig.dataDirOf(inv.config()));
        Path existing = dir;
        while (existing != null && !existing.toFile().exists()) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.toFile().isDirectory() || !existing.toFile().canWrite()) {
            throw new CniException(CniException.NOT_AVAILABLE, "tuning cannot serve ADD: data directory " + dir + " is not writable",
                    "backups of original values are kept there");
        }
    }

    private static <T> T inSandbox(Invocation inv, NetNs.Task<T, CniException> task) throws CniException {
        try {
            return NetNs.run(inv.netns(), task);
        } catch (NotFoundException e) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_NETNS \"" + inv.netns() + "\" does not exist", e.getMessage());
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot enter the sandbox namespace " + inv.netns(), e.getMessage(), e);
        }
    }

    private static Result requirePrevResult(Invocation inv) throws CniException {
        JsonFields prev = inv.config().object("prevResult");
        if (!prev.isPresent()) {
            throw new CniException(CniException.INVALID_CONFIG, "Required prevResult missing",
                    "tuning is a chained plugin: list it after an interface plugin");
        }
        return ResultCodec.parse(prev, inv.cniVersion());
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
