package dev.jcni.core.invoke;

import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request environment a plugin hands on to its delegate (bridge to its IPAM plugin).
 *
 * <p>The reference's delegate inherits the calling plugin's whole environment with only
 * CNI_COMMAND replaced. jcni plugins never read the environment, so the request is spelled out
 * here instead: the delegate gets exactly these variables (the CNI_COMMAND of the verb it is
 * asked for, the rest from this record) and nothing else of the calling process, no PATH
 * included, except the node's policy (the {@code JCNI_*} settings the caller ran under, such as
 * its state roots, lock and log destinations): a delegate runs under the same node policy as its
 * caller, whether it is exec'd or answered in-process. Anything more it needs, such as
 * {@code CNI_NETNS_OVERRIDE=1}, goes in {@code extraEnv}.
 *
 * @param command     the calling plugin's own verb (informational: each delegation names its verb)
 * @param containerId CNI_CONTAINERID ("" for GC and STATUS)
 * @param netns       CNI_NETNS ("" when the caller had none, as DEL may)
 * @param ifName      CNI_IFNAME ("" for GC and STATUS)
 * @param cniArgs     CNI_ARGS exactly as the calling plugin received it ("" for none)
 * @param path        CNI_PATH entries, in order: where the delegate is looked up, and what it is passed
 * @param extraEnv    further variables; may not name one of the request variables above
 */
public record DelegateRequest(Command command, String containerId, String netns, String ifName, String cniArgs,
                              List<String> path, Map<String, String> extraEnv) {
    /** The variables this record sets; {@code extraEnv} must leave them to it. */
    private static final List<String> REQUEST_VARIABLES =
            List.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");

    public DelegateRequest {
        containerId = containerId == null ? "" : containerId;
        netns = netns == null ? "" : netns;
        ifName = ifName == null ? "" : ifName;
        cniArgs = cniArgs == null ? "" : cniArgs;
        path = path == null ? List.of() : List.copyOf(path);
        extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
        for (String name : REQUEST_VARIABLES) {
            if (extraEnv.containsKey(name)) {
                throw new IllegalArgumentException(name + " belongs in the request's own field, not in extraEnv");
            }
        }
    }

    /**
     * The request a plugin received, to hand on as it came, with the node policy it ran under:
     * {@code DelegateRequest.of(invocation)}.
     */
    public static DelegateRequest of(Invocation inv) {
        return new DelegateRequest(inv.command(), inv.containerId(), inv.netns(), inv.ifName(), inv.args().raw(),
                inv.path(), inv.node().settings());
    }

    /** This request with one more variable for the delegate, e.g. {@code withEnv("CNI_NETNS_OVERRIDE", "1")}. */
    public DelegateRequest withEnv(String name, String value) {
        Map<String, String> more = new HashMap<>(extraEnv);
        more.put(name, value);
        return new DelegateRequest(command, containerId, netns, ifName, cniArgs, path, more);
    }

    /** The delegate's whole environment for {@code verb}. */
    public Map<String, String> environment(Command verb) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CNI_COMMAND", verb.name());
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_ARGS", cniArgs);
        env.put("CNI_PATH", String.join(":", path));
        return env;
    }
}
