package dev.jcni.bridge;

import dev.jcni.core.invoke.DelegateRequest;
import dev.jcni.core.invoke.Delegator;
import dev.jcni.core.invoke.InProcessPlugins;
import dev.jcni.core.invoke.PluginFinder;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Invocation;

/**
 * The IPAM plugin an L3 bridge delegates to ({@code ipam.type}), as the reference's
 * {@code pkg/ipam} runs it: found on CNI_PATH, given the whole config the bridge received and the
 * request's CNI variables, its errors passed on unchanged. {@link #delegated} is the real one (an
 * exec, or in-process for our own host-local: {@link InProcessPlugins}); unit tests use a fake.
 */
interface Ipam {
    /** Before any change: the plugin {@code type} is on CNI_PATH (the reference finds out after making the veth). */
    void requireAvailable(Invocation inv, String type) throws CniException;

    Result add(Invocation inv, String type) throws CniException;

    void del(Invocation inv, String type) throws CniException;

    void check(Invocation inv, String type) throws CniException;

    void gc(Invocation inv, String type) throws CniException;

    void status(Invocation inv, String type) throws CniException;

    /** Delegation through {@link Delegator}; in-process where the node's policy allows it. */
    static Ipam delegated() {
        return new Ipam() {
            @Override
            public void requireAvailable(Invocation inv, String type) throws CniException {
                PluginFinder.find(type, inv.path());
            }

            @Override
            public Result add(Invocation inv, String type) throws CniException {
                return delegator(inv).add(type, config(inv), request(inv));
            }

            @Override
            public void del(Invocation inv, String type) throws CniException {
                delegator(inv).del(type, config(inv), request(inv));
            }

            @Override
            public void check(Invocation inv, String type) throws CniException {
                delegator(inv).check(type, config(inv), request(inv));
            }

            @Override
            public void gc(Invocation inv, String type) throws CniException {
                delegator(inv).gc(type, config(inv), request(inv));
            }

            @Override
            public void status(Invocation inv, String type) throws CniException {
                delegator(inv).status(type, config(inv), request(inv));
            }

            private Delegator delegator(Invocation inv) {
                return new Delegator(InProcessPlugins.forNode(inv.node()));
            }

            /** The whole config as the bridge got it, as the reference passes its stdin on. */
            private byte[] config(Invocation inv) {
                return Json.write(inv.config().node());
            }

            /** The request as the bridge got it, with the node policy it runs under (every JCNI_* setting). */
            private DelegateRequest request(Invocation inv) {
                return DelegateRequest.of(inv);
            }
        };
    }
}
