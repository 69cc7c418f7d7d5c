package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tuning's work on one sandbox: capture the original values, apply the configuration with undo,
 * restore a backup, compare for CHECK. Link attributes are handled by looping over the
 * {@link TunableAttribute} rows; sysctls by their resolved keys. Kernel failures become CNI errors
 * here; namespace handling is the caller's.
 */
final class TuningSession {
    private final SandboxTarget target;
    private final String ifName;
    /** How to take back each change {@link #apply} made, in the order made. */
    private final List<Runnable> undo = new ArrayList<>();

    TuningSession(SandboxTarget target, String ifName) {
        this.target = target;
        this.ifName = ifName;
    }

    /**
     * Reads the current value of everything the config changes. Any missing sysctl or link
     * fails here, before a single change is made.
     */
    TuningBackup captureOriginals(TuningConfig config, List<SysctlKey> keys, String network, String containerId)
            throws CniException {
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (SysctlKey key : keys) {
            try {
                sysctls.put(key.relative(), target.readSysctl(key.relative()));
            } catch (NotFoundException e) {
                throw new CniException(CniException.INVALID_CONFIG, "sysctl \"" + key.configured() + "\" does not exist",
                        "no /proc/sys/" + key.relative() + " in the sandbox");
            } catch (OsException e) {
                throw failure("cannot read sysctl \"" + key.configured() + "\"", e);
            }
        }
        LinkSettings originals = LinkSettings.NONE;
        if (config.changesLink()) {
            LinkInfo link = readLink();
            if (config.link().has(TunableAttribute.MAC) && link.get(LinkAttribute.MAC) == null) {
                // Nothing to restore later, and the kernel would refuse the 6-byte address anyway.
                throw new CniException(CniException.INVALID_CONFIG, "cannot set MAC address " + config.link().get(TunableAttribute.MAC)
                        + " on " + ifName, "the link has no Ethernet (6-byte) hardware address");
            }
            for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
                originals = capture(row, config.link(), link, originals);
            }
        }
        return new TuningBackup(originals, Collections.unmodifiableMap(sysctls), network, containerId, ifName);
    }

    private static <T> LinkSettings capture(TunableAttribute<T> row, LinkSettings configured, LinkInfo link, LinkSettings into) {
        return configured.has(row) ? into.with(row, link.get(row.kernel())) : into;
    }

    /**
     * Applies the configuration in the reference's order: sysctls, then the link rows in
     * {@link TunableAttribute#APPLY_ORDER}. If a step fails, the steps already taken are undone
     * (to {@code originals}) before the error is thrown, so a failed ADD leaves the sandbox as it
     * was. A sysctl is read back after it is written: the kernel may take only part of a value
     * ("1 2 3" on a single-value sysctl sets 1), which is a failure, undone like any other. The
     * steps of an apply that succeeded stay recorded for {@link #undo}, for a failure after it.
     */
    void apply(TuningConfig config, List<SysctlKey> keys, TuningBackup originals) throws CniException {
        try {
            for (SysctlKey key : keys) {
                String path = key.relative();
                // Registered before the write: a write that fails halfway may have changed the value.
                undo.add(undoStep("restore sysctl " + path, new Step() {
                    @Override public void run() throws OsException { target.writeSysctl(path, originals.sysctls().get(path)); }
                }));
                writeAndVerify(key, config.sysctls().get(key.configured()));
            }
            for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
                applyRow(row, config.link(), originals.link(), undo);
            }
        } catch (CniException | RuntimeException e) {
            undo();
            throw e;
        }
    }

    /** Takes back every change {@link #apply} made, last first; then none is left to take back. */
    void undo() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
    }

    private <T> void applyRow(TunableAttribute<T> row, LinkSettings configured, LinkSettings originals, List<Runnable> undo)
            throws CniException {
        T value = configured.get(row);
        if (value == null) {
            return;
        }
        try {
            target.set(ifName, row.kernel(), value);
        } catch (OsException e) {
            throw failure("failed to " + row.change(value) + " on " + ifName, e);
        }
        T original = originals.get(row);
        undo.add(undoStep("restore " + row.description(), new Step() {
            @Override public void run() throws OsException { target.set(ifName, row.kernel(), original); }
        }));
    }

    private void writeAndVerify(SysctlKey key, String value) throws CniException {
        String what = "failed to set sysctl " + key.configured() + " to \"" + value + "\"";
        String live;
        try {
            target.writeSysctl(key.relative(), value);
            live = target.readSysctl(key.relative());
        } catch (OsException e) {
            throw failure(what, e);
        }
        if (!SysctlKey.sameValue(value, live)) {
            throw new CniException(CniException.PLUGIN_FAILURE, what, "the kernel applied \"" + live + "\"");
        }
    }

    /**
     * Puts back every value in {@code backup}: the sysctls (last written, first restored), then the
     * link rows in the reference's {@link TunableAttribute#RESTORE_ORDER}. Best effort: each
     * failure is reported and the rest still run. Values on a link that no longer exists are
     * skipped.
     *
     * @return the failures, empty when everything was restored
     */
    List<String> restore(TuningBackup backup) {
        List<String> problems = new ArrayList<>();
        List<String> paths = new ArrayList<>(backup.sysctls().keySet());
        for (int i = paths.size() - 1; i >= 0; i--) {
            String path = paths.get(i);
            try {
                target.writeSysctl(path, backup.sysctls().get(path));
            } catch (NotFoundException e) {
                Log.info("sysctl " + path + " is gone, nothing to restore");
            } catch (OsException e) {
                problems.add("failed to restore sysctl " + path + ": " + e.getMessage());
            }
        }
        if (backup.link().isEmpty()) {
            return problems;
        }
        try {
            target.link(ifName);
        } catch (NotFoundException e) {
            Log.info("link " + ifName + " is gone, its attributes need no restoring");
            return problems;
        } catch (OsException e) {
            problems.add("cannot read link " + ifName + ": " + e.getMessage());
            return problems;
        }
        for (TunableAttribute<?> row : TunableAttribute.RESTORE_ORDER) {
            restoreRow(row, backup.link(), problems);
        }
        return problems;
    }

    private <T> void restoreRow(TunableAttribute<T> row, LinkSettings backup, List<String> problems) {
        T value = backup.get(row);
        if (value == null) {
            return;
        }
        try {
            target.set(ifName, row.kernel(), value);
        } catch (OsException e) {
            problems.add("failed to restore " + row.description() + ": " + e.getMessage());
        }
    }

    /**
     * Every configured value that differs from the live one, described for a human. Attributes
     * nobody configured are not compared.
     */
    List<String> drift(TuningConfig config, List<SysctlKey> keys) throws CniException {
        List<String> drift = new ArrayList<>();
        for (SysctlKey key : keys) {
            String expected = config.sysctls().get(key.configured());
            try {
                String actual = target.readSysctl(key.relative());
                if (!SysctlKey.sameValue(expected, actual)) {
                    drift.add("sysctl " + key.configured() + " is \"" + actual + "\", configured \"" + expected + "\"");
                }
            } catch (NotFoundException e) {
                drift.add("sysctl " + key.configured() + " does not exist (configured \"" + expected + "\")");
            } catch (OsException e) {
                throw failure("cannot read sysctl \"" + key.configured() + "\"", e);
            }
        }
        if (!config.changesLink()) {
            return drift;
        }
        LinkInfo link;
        try {
            link = target.link(ifName);
        } catch (NotFoundException e) {
            drift.add("link " + ifName + " does not exist");
            return drift;
        } catch (OsException e) {
            throw failure("cannot read link " + ifName, e);
        }
        for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
            compareRow(row, config.link(), link, drift);
        }
        return drift;
    }

    private <T> void compareRow(TunableAttribute<T> row, LinkSettings configured, LinkInfo link, List<String> drift) {
        T expected = configured.get(row);
        if (expected == null) {
            return;
        }
        T live = link.get(row.kernel());
        if (!row.same(expected, live)) {
            drift.add(row.description() + " of " + ifName + " is " + (live == null ? "none" : row.text(live))
                    + ", configured " + row.text(expected));
        }
    }

    /** The link's MAC as the kernel now reports it. */
    MacAddress currentMac() throws CniException {
        return readLink().get(LinkAttribute.MAC);
    }

    private LinkInfo readLink() throws CniException {
        try {
            return target.link(ifName);
        } catch (NotFoundException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to get \"" + ifName + "\": no such interface in the sandbox");
        } catch (OsException e) {
            throw failure("failed to get \"" + ifName + "\"", e);
        }
    }

    /** One kernel change, named for the error message. */
    private interface Step {
        void run() throws OsException;
    }

    private static Runnable undoStep(String what, Step step) {
        return new Runnable() {
            @Override public void run() {
                try {
                    step.run();
                } catch (OsException e) {
                    Log.warn("undo: cannot " + what + ": " + e.getMessage());
                }
            }
        };
    }

    private static CniException failure(String msg, OsException e) {
        return new CniException(CniException.PLUGIN_FAILURE, msg, e.getMessage(), e);
    }
}
