package dev.jcni.tuning;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Sandbox;

/** The real {@link Sandboxes}: the namespace through the skel, a netlink socket opened inside it. */
final class KernelSandboxes implements Sandboxes {
    @Override
    public <T> T run(Invocation inv, Work<T> work) throws CniException {
        return Sandbox.run(inv, task(work));
    }

    @Override
    public Sandbox.Presence runIfSandbox(Invocation inv, Work<Void> work) throws CniException {
        return Sandbox.runIfSandbox(inv, task(work));
    }

    private static <T> NetNs.Task<T, CniException> task(Work<T> work) {
        return new NetNs.Task<T, CniException>() {
            @Override
            public T run() throws CniException, OsException {
                Log.timing("in sandbox");
                try (RtNetlink nl = RtNetlink.open()) {
                    return work.run(new KernelTarget(new Links(nl)));
                }
            }
        };
    }
}
