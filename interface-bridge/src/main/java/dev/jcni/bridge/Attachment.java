package dev.jcni.bridge;

import dev.jcni.core.hash.Sha512;
import java.nio.charset.StandardCharsets;

/**
 * One attachment (network, container ID, ifname), and the names its firewall state goes by, all
 * derived from it alone: DEL and GC find an attachment's rules without any state of their own,
 * without the runtime's help, and without the addresses of a link that may be gone.
 *
 * <ul>
 *   <li>Masquerade rules, the reference's nftables layout to the byte
 *       ({@code pkg/ip/ipmasq_nftables_linux.go}): the comment begins with 16 hex digits of the
 *       SHA-512 of the network name, {@code -}, and 16 of {@code "<ifname>:<containerID>"}, then
 *       {@code , net: N, if: I, id: C}, cut to 128 bytes. So the reference's DEL and GC remove our
 *       rules and ours remove theirs: the binaries can be swapped on a node.</li>
 *   <li>Spoof-check chains, our own layout ({@link SpoofCheck}): {@code sc-} and 20 hex digits of
 *       the SHA-512 of network, container ID and ifname (NUL-separated); rule and element comments
 *       {@code jcni:<16 hex of the network> ...}, by which GC tells networks apart.</li>
 * </ul>
 */
record Attachment(String network, String containerId, String ifName) {
    static final String SPOOF_CHAIN_PREFIX = "sc-";
    static final String SPOOF_TAG = "jcni:";
    /** nft keeps at most 128 bytes of a comment. */
    static final int COMMENT_MAX = 128;

    /** The reference's hashForNetwork: the masquerade rules of one network share it. */
    static String masqueradeNetworkHash(String network) {
        return Sha512.hex(network, 16);
    }

    /** The reference's hashForInstance: the start of every masquerade comment of this attachment. */
    String masqueradeInstance() {
        return masqueradeNetworkHash(network) + "-" + Sha512.hex(ifName + ":" + containerId, 16);
    }

    /** The reference's commentForInstance. */
    String masqueradeComment() {
        return cut(masqueradeInstance() + ", net: " + shown(network) + ", if: " + shown(ifName) + ", id: " + shown(containerId));
    }

    String spoofChain() {
        return SPOOF_CHAIN_PREFIX + Sha512.hex(network + '\0' + containerId + '\0' + ifName, 20);
    }

    /** {@code jcni:<16 hex>}: what every spoof-check comment of {@code network} begins with. */
    static String spoofNetworkTag(String network) {
        return SPOOF_TAG + Sha512.hex("network\0" + network, 16);
    }

    /**
     * The comment of the attachment's spoof-check rules: the host veth they serve comes before the
     * human part, so the 128-byte cut never reaches it; DEL reads it back from there.
     */
    String spoofRuleComment(String hostVeth) {
        return cut(spoofNetworkTag(network) + " port=" + hostVeth + " " + shown(containerId) + "/" + shown(ifName));
    }

    /** The comment of the attachment's element in the port map. */
    String spoofElementComment() {
        return cut(spoofNetworkTag(network) + " " + shown(containerId) + "/" + shown(ifName));
    }

    /** The host veth a spoof-check rule comment records, or null when it records none. */
    static String portOf(String ruleComment) {
        if (ruleComment == null) {
            return null;
        }
        int at = ruleComment.indexOf(" port=");
        if (at < 0) {
            return null;
        }
        int start = at + " port=".length();
        int end = ruleComment.indexOf(' ', start);
        String port = end == -1 ? ruleComment.substring(start) : ruleComment.substring(start, end);
        return port.isEmpty() ? null : port;
    }

    /**
     * A name as a comment may show it: without {@code "} (as the reference writes it) and with
     * control characters as {@code ?} (nft keeps neither; the skel lets both through in CNI_IFNAME).
     */
    static String shown(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '"') {
                sb.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        return sb.toString();
    }

    /** At most {@value #COMMENT_MAX} bytes of UTF-8, never cutting a character in two. */
    static String cut(String comment) {
        byte[] b = comment.getBytes(StandardCharsets.UTF_8);
        if (b.length <= COMMENT_MAX) {
            return comment;
        }
        // Back from the cut to the first byte of a character: never past the first, which starts one.
        int end = COMMENT_MAX;
        while ((b[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }


    @Override
    public String toString() {
        return network + "/" + containerId + "/" + ifName;
    }
}
