package dev.jcni.core.os;

import dev.jcni.core.os.internal.Native;

/** The kernel layer's native libraries, as far as code above it needs to know about them. */
public final class NativeLibraries {
    private NativeLibraries() {}

    /**
     * Binds libc now, on a background thread, so that the work (about 15 ms: jffi loads its stub
     * library and the functions are looked up) overlaps the caller's JSON parsing and validation
     * instead of following it. Call it only when the request will reach the kernel: the VERSION
     * verb must never load jffi. Harmless when binding fails: the first real call reports it.
     */
    public static void preloadInBackground() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Native.bindAll();
                } catch (IllegalStateException ignored) {
                    // Kept by the binding and thrown again by the first call that needs it.
                }
            }
        }, "jcni-native-preload");
        t.setDaemon(true);
        t.start();
    }
}
