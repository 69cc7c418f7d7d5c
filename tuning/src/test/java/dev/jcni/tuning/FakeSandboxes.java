package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Sandbox;
import java.util.ArrayList;
import java.util.List;

/** Hands every request the one fake sandbox, or says the namespace is gone or the host's. */
final class FakeSandboxes implements Sandboxes {
    final FakeTarget target = new FakeTarget();
    /** What DEL finds at CNI_NETNS. */
    Sandbox.Presence presence = Sandbox.Presence.SANDBOX;
    /** The verbs that entered the sandbox, in order. */
    final List<String> entered = new ArrayList<>();

    /** The tests' known starting point: the sandbox with somaxconn 4096 and eth0's rp_filter 0. */
    static FakeSandboxes withTwoSysctls() {
        FakeSandboxes s = new FakeSandboxes();
        s.target.sysctls.put("net/core/somaxconn", "4096");
        s.target.sysctls.put("net/ipv4/conf/eth0/rp_filter", "0");
        return s;
    }

    @Override
    public <T> T run(Invocation inv, Work<T> work) throws CniException {
        entered.add(inv.command().name());
        Log.timing("in sandbox"); // as the real one marks it
        return work.run(target);
    }

    /** What entering the sandbox for DEL fails with, if anything. */
    CniException delFailure;

    @Override
    public Sandbox.Presence runIfSandbox(Invocation inv, Work<Void> work) throws CniException {
        if (delFailure != null) {
            throw delFailure;
        }
        if (presence == Sandbox.Presence.SANDBOX) {
            entered.add(inv.command().name());
            Log.timing("in sandbox");
            work.run(target);
        }
        return presence;
    }
}
