package dev.jcni.bridge;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Sandbox;

/**
 * How bridge reaches the sandbox of a request: {@link #KERNEL} enters CNI_NETNS through the
 * skel's {@link Sandbox} (its CNI errors; DEL never enters the host's own namespace) and works
 * on a {@link KernelNamespace} whose socket is opened in there; unit tests hand in a fake.
 */
interface Sandboxes {
    /** Work inside one sandbox. */
    interface Work<T> {
        T run(NetworkNamespace sandbox) throws CniException, OsException;
    }

    /** ADD and CHECK: runs {@code work} in the sandbox; a missing namespace is code 4. */
    <T> T run(Invocation inv, Work<T> work) throws CniException;

    /** DEL: runs {@code work} only in a real sandbox, never the host's own namespace; says which. */
    Sandbox.Presence runIfSandbox(Invocation inv, Work<Void> work) throws CniException;

    Sandboxes KERNEL = new Sandboxes() {
        @Override
        public <T> T run(Invocation inv, Work<T> work) throws CniException {
            return Sandbox.run(inv, task(work));
        }

        @Override
        public Sandbox.Presence runIfSandbox(Invocation inv, Work<Void> work) throws CniException {
            return Sandbox.runIfSandbox(inv, task(work));
        }

        private <T> NetNs.Task<T, CniException> task(Work<T> work) {
            return new NetNs.Task<T, CniException>() {
                @Override
                public T run() throws CniException, OsException {
                    Log.timing("in sandbox");
                    try (KernelNamespace sandbox = KernelNamespace.sandbox(RtNetlink.open())) {
                        return work.run(sandbox);
                    }
                }
            };
        }
    };
}
