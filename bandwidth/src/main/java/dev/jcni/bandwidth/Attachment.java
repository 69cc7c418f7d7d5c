package dev.jcni.bandwidth;

import dev.jcni.core.hash.Sha512;
import java.nio.charset.StandardCharsets;

/**
 * One attachment (network name, container ID, ifname) and the names of what the plugin makes for
 * it, all derived from those three, so DEL and GC need nothing else: no state file, no prevResult,
 * no namespace.
 *
 * <ul>
 *   <li>ifb names: {@code bwe} (egress) or {@code bwi} (ingress with subnet exemptions) and 12 hex
 *       digits of a SHA-512 of the attachment: 15 characters, the kernel's limit. The reference's
 *       {@code bwp} + 12 hex of (network + container ID) leaves the ifname out, so two interfaces
 *       of one pod on one network (Multus) shared a name; the prefixes also keep the two apart.</li>
 *   <li>the ifb's alias, which proves the ifb is ours: {@code jcni-bandwidth}, 16 hex digits of
 *       the network's hash, 32 of the attachment's, then {@code containerID/ifname} for people
 *       (cut to the kernel's 255 bytes). GC deletes an ifb only if the name and the alias agree
 *       and the alias names its network: an ifb someone else made, even one named like ours,
 *       never carries that alias.</li>
 * </ul>
 */
final class Attachment {
    static final String ALIAS_MARK = "jcni-bandwidth";
    private static final int NAME_HEX = 12;
    private static final int NETWORK_HEX = 16;
    private static final int ATTACHMENT_HEX = 32;
    /** IFALIASZ - 1. */
    private static final int ALIAS_MAX_BYTES = 255;
    /** The reference's ifb prefix (pkg/utils MustFormatHashWithPrefix(15, "bwp", net+id)). */
    static final String REFERENCE_PREFIX = "bwp";

    private final String network;
    private final String containerId;
    private final String ifName;
    private final String hash;

    Attachment(String network, String containerId, String ifName) {
        this.network = network;
        this.containerId = containerId;
        this.ifName = ifName;
        this.hash = Sha512.hex(network + "\u0000" + containerId + "\u0000" + ifName);
    }

    /** The 32 hex digits the alias carries; the ifb names start with 12 of them. */
    String hash() {
        return hash.substring(0, ATTACHMENT_HEX);
    }

    /** The ifb of direction {@code d}: {@code bwe3f0a9c21b4d7} (15 characters). */
    String ifbName(Direction d) {
        return d.ifbPrefix() + hash.substring(0, NAME_HEX);
    }

    /** The name the reference plugin gives this container's ifb on this network, whatever the ifname. */
    String referenceIfbName() {
        return REFERENCE_PREFIX + Sha512.hex(network + containerId, NAME_HEX);
    }

    /** {@code jcni-bandwidth <network hash> <attachment hash> <containerID>/<ifname>}, at most 255 bytes. */
    String alias() {
        String full = ALIAS_MARK + " " + networkHash(network) + " " + hash() + " " + containerId + "/" + ifName;
        // Container IDs are ASCII in practice; cut on a character boundary anyway.
        String cut = full;
        while (cut.getBytes(StandardCharsets.UTF_8).length > ALIAS_MAX_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    /** 16 hex digits of the network name's SHA-512, as the alias carries them. */
    static String networkHash(String network) {
        return Sha512.hex(network, NETWORK_HEX);
    }

    /** What an ifb's alias says about its owner, if it is one of ours. */
    record Owner(String networkHash, String attachmentHash) {
        /** True when {@code ifbName} is one of the names this owner's attachment gives its ifbs. */
        boolean names(String ifbName) {
            String tail = attachmentHash.substring(0, NAME_HEX);
            for (Direction d : Direction.values()) {
                if (ifbName.equals(d.ifbPrefix() + tail)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The owner an alias names, or null when it is not one of ours (any other text, or none). */
    static Owner owner(String alias) {
        if (alias == null || !alias.startsWith(ALIAS_MARK + " ")) {
            return null;
        }
        String[] f = alias.split(" ", 4);
        if (f.length < 3 || !isHex(f[1], NETWORK_HEX) || !isHex(f[2], ATTACHMENT_HEX)) {
            return null;
        }
        return new Owner(f[1], f[2]);
    }

    /** True when {@code alias} is exactly this attachment's (the readable tail may have been cut the same way). */
    boolean owns(String alias) {
        Owner o = owner(alias);
        return o != null && o.networkHash().equals(networkHash(network)) && o.attachmentHash().equals(hash());
    }

    private static boolean isHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }


    @Override
    public String toString() {
        return containerId + "/" + ifName + " on " + network;
    }
}
