package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Sandbox;

/**
 * How tuning reaches the sandbox of a request: {@link #KERNEL} enters the real namespace (through
 * the skel's {@link Sandbox}, with its CNI errors) and works on the kernel; unit tests hand the
 * plugin a fake, so the verbs' orchestration is tested without root.
 */
interface Sandboxes {
    /** Work on the target of one sandbox. */
    interface Work<T> {
        T run(SandboxTarget target) throws CniException;
    }

    /** ADD and CHECK: runs {@code work} in the sandbox; a missing namespace is code 4. */
    <T> T run(Invocation inv, Work<T> work) throws CniException;

    /** DEL: runs {@code work} only in a real sandbox, never the host's own namespace; says which. */
    Sandbox.Presence runIfSandbox(Invocation inv, Work<Void> work) throws CniException;

    Sandboxes KERNEL = new KernelSandboxes();
}
