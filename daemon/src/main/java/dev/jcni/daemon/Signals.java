package dev.jcni.daemon;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT start the drain, and jcnid exits 0 once it is done.
 *
 * <p>Through {@code sun.misc.Signal} (jdk.unsupported, present in every JDK) rather than a
 * shutdown hook: after a signal the JVM runs its hooks and then exits with 128 + the signal
 * number, whatever a hook does, and a hook runs while other hooks and finalisation race it. The
 * handler only flags the drain; the serving loop finishes the accepted requests on its own
 * threads and the main thread exits with 0, the same way a control {@code stop} ends.
 */
final class Signals {
    private Signals() {}

    /** Calls {@code onSignal} with the signal's name, on the JVM's signal thread, for each TERM or INT. */
    static void onTermination(Handler onSignal) {
        SignalHandler h = new SignalHandler() {
            @Override
            public void handle(Signal signal) {
                onSignal.terminate("SIG" + signal.getName());
            }
        };
        Signal.handle(new Signal("TERM"), h);
        Signal.handle(new Signal("INT"), h);
    }

    interface Handler {
        void terminate(String signal);
    }
}
