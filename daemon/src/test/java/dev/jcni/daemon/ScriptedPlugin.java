package dev.jcni.daemon;

import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A plugin for the daemon's tests, doing what its config's {@code "do"} says: {@code "block"}
 * waits until the test releases it ({@link #GATE}); {@code "log"} logs a warning; {@code "netns"}
 * opens CNI_NETNS and reports whether it is the test's own namespace; {@code "fail"} fails with
 * code 7; {@code "slow"} sleeps {@code "millis"}, then marks the phase "slept" ({@link Log#timing})
 * and, when that mark fails the request, logs "undo: ..." as a plugin's undo would and rethrows.
 * ADD answers 10.9.0.5/24.
 */
public final class ScriptedPlugin implements CniPlugin {
    static final Semaphore GATE = new Semaphore(0);
    static final Semaphore ENTERED = new Semaphore(0);

    public ScriptedPlugin() {}

    @Override public String about() { return "scripted plugin for jcnid tests"; }
    @Override public List<String> supportedVersions() { return CniVersion.ALL; }

    @Override
    public Result add(Invocation inv) throws CniException {
        act(inv);
        try {
            return new Result(inv.cniVersion(), List.of(), List.of(new Result.IpConfig(IpPrefix.parse("10.9.0.5/24"), null, null, null)),
                    List.of(), null);
        } catch (AddressFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public void check(Invocation inv) throws CniException { act(inv); }
    @Override public void del(Invocation inv) throws CniException { act(inv); }
    @Override public void gc(Invocation inv) throws CniException { act(inv); }
    @Override public void status(Invocation inv) throws CniException { act(inv); }

    private static void act(Invocation inv) throws CniException {
        String what = inv.config().node().path("do").asText("");
        switch (what) {
            case "block":
                ENTERED.release();
                try {
                    if (!GATE.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new CniException(11, "the test never released the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                break;
            case "log":
                Log.warn("logged for " + inv.containerId());
                break;
            case "netns":
                try (NetNs ns = NetNs.open(inv.netns()); NetNs own = NetNs.openCurrent()) {
                    if (!ns.sameNamespaceAs(own)) {
                        throw new CniException(100, "CNI_NETNS is another namespace");
                    }
                    Log.warn("opened " + inv.netns() + " as " + ns.path());
                } catch (OsException e) {
                    throw new CniException(100, "cannot open CNI_NETNS", e.getMessage());
                }
                break;
            case "args":
                Log.warn("K is " + inv.args().get("K") + ", JCNI_MARK is " + inv.node().get("JCNI_MARK", "(unset)"));
                break;
            case "fail":
                throw new CniException(7, "told to fail");
            case "slow":
                try {
                    Thread.sleep(inv.config().node().path("millis").asLong());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    Log.timing("slept");
                } catch (RuntimeException e) {
                    Log.warn("undo: " + e.getMessage());
                    throw e;
                }
                break;
            default:
                break;
        }
    }
}
