package dev.jcni.daemon;

import dev.jcni.core.daemon.Hello;
import dev.jcni.core.os.socket.Descriptor;
import java.util.List;

/**
 * One request as read from its connection: the HELLO, the descriptors that came with it (the
 * caller's own namespace, then the sandbox's when the HELLO says so), stdin, and when the HELLO
 * arrived ({@link System#nanoTime}). Closing it closes the descriptors.
 */
record Request(Hello hello, List<Descriptor> descriptors, byte[] stdin, long helloNanos) implements AutoCloseable {
    /** The launcher's own network namespace (plugin requests only). */
    Descriptor callerNamespace() {
        return descriptors.get(0);
    }

    /** The opened CNI_NETNS, or null when the HELLO carried none. */
    Descriptor sandbox() {
        return hello.hasSandbox() ? descriptors.get(1) : null;
    }

    @Override
    public void close() {
        for (Descriptor d : descriptors) {
            d.close();
        }
    }
}
