package dev.jcni.tuning;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tuning's work inside one sandbox: read the originals, apply the configuration with undo on
 * failure, restore a backup, and compare live values with the configuration. Runs on the thread
 * that entered the namespace; holds no kernel handles itself.
 */
final class TuningSession {
    private final SandboxTarget target;
    private final String ifName;

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
        SandboxTarget.LinkState link = null;
        if (config.changesLink()) {
            link = readLink();
            if (config.mac() != null && link.mac() == null) {
                // Nothing to restore later, and the kernel would refuse the 6-byte address anyway.
                throw new CniException(CniException.INVALID_CONFIG, "cannot set MAC address " + config.mac() + " on " + ifName,
                        "the link has no Ethernet (6-byte) hardware address");
            }
        }
        return new TuningBackup(
                config.mac() != null ? link.mac() : null,
                config.promisc() != null ? link.promisc() : null,
                config.mtu() != null ? link.mtu() : null,
                config.allmulti() != null ? link.allMulti() : null,
                config.txQueueLen() != null ? link.txQueueLen() : null,
                Collections.unmodifiableMap(sysctls), network, containerId, ifName);
    }

    /**
     * Applies the configuration in the reference's order: sysctls, MAC, promiscuous mode, MTU,
     * all-multicast, queue length. If a step fails, the steps already taken are undone (to
     * {@code originals}) before the error is thrown, so a failed ADD leaves the sandbox as it was.
     */
    void apply(TuningConfig config, List<SysctlKey> keys, TuningBackup originals) throws CniException {
        List<Runnable> undo = new ArrayList<>();
        try {
            for (SysctlKey key : keys) {
                final String path = key.relative();
                final String before = originals.sysctls().get(path);
                write(key, config.sysctls().get(key.configured()));
                undo.add(new Runnable() {
                    @Override public void run() {
                        quietly("restore sysctl " + path, new Step() {
                            @Override public void run() throws OsException { target.writeSysctl(path, before); }
                        });
                    }
                });
            }
            if (config.mac() != null) {
                step("set MAC address to " + config.mac(), new Step() {
                    @Override public void run() throws OsException { target.setMac(ifName, config.mac()); }
                });
                undo.add(undoStep("restore MAC address", new Step() {
                    @Override public void run() throws OsException { target.setMac(ifName, originals.mac()); }
                }));
            }
            if (config.promisc() != null) {
                step("set promiscuous mode " + onOff(config.promisc()), new Step() {
                    @Override public void run() throws OsException { target.setPromisc(ifName, config.promisc()); }
                });
                undo.add(undoStep("restore promiscuous mode", new Step() {
                    @Override public void run() throws OsException { target.setPromisc(ifName, originals.promisc()); }
                }));
            }
            if (config.mtu() != null) {
                step("set MTU to " + config.mtu(), new Step() {
                    @Override public void run() throws OsException { target.setMtu(ifName, config.mtu()); }
                });
                undo.add(undoStep("restore MTU", new Step() {
                    @Override public void run() throws OsException { target.setMtu(ifName, originals.mtu()); }
                }));
            }
            if (config.allmulti() != null) {
                step("set all-multicast mode " + onOff(config.allmulti()), new Step() {
                    @Override public void run() throws OsException { target.setAllMulti(ifName, config.allmulti()); }
                });
                undo.add(undoStep("restore all-multicast mode", new Step() {
                    @Override public void run() throws OsException { target.setAllMulti(ifName, originals.allmulti()); }
                }));
            }
            if (config.txQueueLen() != null) {
                step("set transmit queue length to " + config.txQueueLen(), new Step() {
                    @Override public void run() throws OsException { target.setTxQueueLen(ifName, config.txQueueLen()); }
                });
            }
        } catch (CniException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw e;
        }
    }

    /**
     * Puts back every value in {@code backup}, in the reference's order (MTU, MAC, promiscuous,
     * all-multicast, queue length) after the sysctls. Best effort: each failure is reported and
     * the rest still run. Values on a link that no longer exists are skipped silently.
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
        boolean linkAttributes = backup.mtu() != null || backup.mac() != null || backup.promisc() != null
                || backup.allmulti() != null || backup.txQueueLen() != null;
        if (!linkAttributes) {
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
        try {
            if (backup.mtu() != null) {
                target.setMtu(ifName, backup.mtu());
            }
        } catch (OsException e) {
            problems.add("failed to restore MTU: " + e.getMessage());
        }
        try {
            if (backup.mac() != null) {
                target.setMac(ifName, backup.mac());
            }
        } catch (OsException e) {
            problems.add("failed to restore MAC address: " + e.getMessage());
        }
        try {
            if (backup.promisc() != null) {
                target.setPromisc(ifName, backup.promisc());
            }
        } catch (OsException e) {
            problems.add("failed to restore promiscuous mode: " + e.getMessage());
        }
        try {
            if (backup.allmulti() != null) {
                target.setAllMulti(ifName, backup.allmulti());
            }
        } catch (OsException e) {
            problems.add("failed to restore all-multicast mode: " + e.getMessage());
        }
        try {
            if (backup.txQueueLen() != null) {
                target.setTxQueueLen(ifName, backup.txQueueLen());
            }
        } catch (OsException e) {
            problems.add("failed to restore transmit queue length: " + e.getMessage());
        }
        return problems;
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
                if (!normalizeWhitespace(actual).equals(normalizeWhitespace(expected))) {
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
        SandboxTarget.LinkState link;
        try {
            link = target.link(ifName);
        } catch (NotFoundException e) {
            drift.add("link " + ifName + " does not exist");
            return drift;
        } catch (OsException e) {
            throw failure("cannot read link " + ifName, e);
        }
        if (config.mac() != null && !config.mac().equals(link.mac())) {
            drift.add("MAC address of " + ifName + " is " + link.mac() + ", configured " + config.mac());
        }
        if (config.mtu() != null && config.mtu() != link.mtu()) {
            drift.add("MTU of " + ifName + " is " + link.mtu() + ", configured " + config.mtu());
        }
        if (config.promisc() != null && config.promisc() != link.promisc()) {
            drift.add("promiscuous mode of " + ifName + " is " + onOff(link.promisc()) + ", configured " + onOff(config.promisc()));
        }
        if (config.allmulti() != null && config.allmulti() != link.allMulti()) {
            drift.add("all-multicast mode of " + ifName + " is " + onOff(link.allMulti()) + ", configured " + onOff(config.allmulti()));
        }
        if (config.txQueueLen() != null && config.txQueueLen() != link.txQueueLen()) {
            drift.add("transmit queue length of " + ifName + " is " + link.txQueueLen() + ", configured " + config.txQueueLen());
        }
        return drift;
    }

    /** The link's MAC as the kernel now reports it. */
    MacAddress currentMac() throws CniException {
        return readLink().mac();
    }

    private SandboxTarget.LinkState readLink() throws CniException {
        try {
            return target.link(ifName);
        } catch (NotFoundException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "failed to get \"" + ifName + "\": no such interface in the sandbox");
        } catch (OsException e) {
            throw failure("failed to get \"" + ifName + "\"", e);
        }
    }

    private void write(SysctlKey key, String value) throws CniException {
        try {
            target.writeSysctl(key.relative(), value);
        } catch (OsException e) {
            throw failure("failed to set sysctl " + key.configured() + " to \"" + value + "\"", e);
        }
    }

    /** One kernel change, named for the error message. */
    private interface Step {
        void run() throws OsException;
    }

    private void step(String what, Step step) throws CniException {
        try {
            step.run();
        } catch (OsException e) {
            throw failure("failed to " + what + " on " + ifName, e);
        }
    }

    private Runnable undoStep(String what, Step step) {
        return new Runnable() {
            @Override public void run() {
                quietly(what, step);
            }
        };
    }

    private void quietly(String what, Step step) {
        try {
            step.run();
        } catch (OsException e) {
            Log.warn("undo: cannot " + what + ": " + e.getMessage());
        }
    }

    private static CniException failure(String msg, OsException e) {
        return new CniException(CniException.PLUGIN_FAILURE, msg, e.getMessage(), e);
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static String normalizeWhitespace(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }
}
