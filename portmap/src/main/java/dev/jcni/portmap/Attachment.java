package dev.jcni.portmap;

import dev.jcni.core.hash.Sha512;

/**
 * Who owns a piece of the ruleset: one attachment, (network name, container ID, ifname). Its
 * chain's name and its comments are derived from that triple alone, so DEL finds exactly its own
 * state without runtimeConfig, two networks of one container never touch each other's state,
 * and GC can tell a network's chains from another's.
 *
 * <ul>
 *   <li>chain {@code cnihp-<20 hex>}: SHA-512 of network, container ID and ifname (NUL-separated,
 *       so no two triples read alike);</li>
 *   <li>comment on every map element: {@code jcni:<16 hex> <containerID>/<ifname>}, the hex a
 *       SHA-512 of the network name (what GC selects by), the rest for a human reading
 *       {@code nft list} and for the strict policy's error (characters nft cannot print in a
 *       comment replaced by {@code ?}, cut to nft's 128 bytes);</li>
 *   <li>comment on every rule of its chain: {@code jcni:<16 hex> <key> <containerID>/<ifname>},
 *       where {@code <key>} ({@link MapKey#recordText}) is the map key the rule serves. The rules
 *       are the attachment's <em>ownership record</em>: the keys it owns are exactly the keys its
 *       rules name ({@link OwnedKeys}), so DEL reads its own chain, not the maps. The key comes
 *       before the human part, so cutting to 128 bytes never touches it.</li>
 * </ul>
 */
record Attachment(String network, String containerId, String ifName) {
    static final String CHAIN_PREFIX = "cnihp-";
    static final String COMMENT_PREFIX = "jcni:";
    private static final int MAX_COMMENT = 128;

    String chainName() {
        return CHAIN_PREFIX + Sha512.hex(network + '\0' + containerId + '\0' + ifName, 20);
    }

    /** {@code jcni:<16 hex>}: the part of every comment that names the network. */
    static String networkTag(String network) {
        return COMMENT_PREFIX + Sha512.hex("network\0" + network, 16);
    }

    String comment() {
        String c = networkTag(network) + " " + printable(containerId) + "/" + printable(ifName);
        return c.substring(0, Math.min(c.length(), MAX_COMMENT));
    }

    /** The comment of the chain's rules that serve {@code key}: the record of that key (see the class comment). */
    String ruleComment(MapKey key) {
        String c = networkTag(network) + " " + key.recordText() + " " + printable(containerId) + "/" + printable(ifName);
        return c.substring(0, Math.min(c.length(), MAX_COMMENT));
    }

    /** The key text a rule comment records (its second word), or null when it is not one of ours. */
    static String recordedKey(String comment) {
        if (comment == null || !comment.startsWith(COMMENT_PREFIX)) {
            return null;
        }
        String[] words = comment.split(" ", 3);
        return words.length == 3 ? words[1] : null;
    }

    /** True when {@code comment} is one this plugin wrote for an attachment of {@code network}. */
    static boolean ofNetwork(String comment, String network) {
        return comment != null && comment.startsWith(networkTag(network) + " ");
    }

    @Override
    public String toString() {
        return containerId + "/" + ifName + " of network " + network;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x21 || c > 0x7e || c == '"' ? '?' : c);
        }
        return sb.toString();
    }

}
