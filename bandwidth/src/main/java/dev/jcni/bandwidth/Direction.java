package dev.jcni.bandwidth;

/**
 * Which way the traffic a limit applies to goes, named from the container's side as the
 * reference's keys are: {@code ingressRate} limits what the container receives, {@code egressRate}
 * what it sends. On the host the directions swap: ingress leaves the host end of the veth (its
 * egress), egress arrives on it (its ingress), which is why egress needs an ifb to be shaped.
 */
enum Direction {
    /** Traffic to the container: it leaves the host veth. The far end is the packet's source. */
    INGRESS("ingress", "bwi"),
    /** Traffic from the container: it enters the host veth. The far end is the packet's destination. */
    EGRESS("egress", "bwe");

    private final String key;
    private final String ifbPrefix;

    Direction(String key, String ifbPrefix) {
        this.key = key;
        this.ifbPrefix = ifbPrefix;
    }

    /** The config's prefix: "ingress" for ingressRate and ingressBurst. */
    String key() {
        return key;
    }

    /** The first characters of this direction's ifb name ({@link Attachment#ifbName}). */
    String ifbPrefix() {
        return ifbPrefix;
    }

    String rateKey() {
        return key + "Rate";
    }

    String burstKey() {
        return key + "Burst";
    }
}
