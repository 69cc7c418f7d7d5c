package dev.jcni.bridge;

import static dev.jcni.core.os.nft.Statement.match;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.DataType;
import dev.jcni.core.os.nft.Expr;
import dev.jcni.core.os.nft.Family;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftExistsException;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.os.nft.Table;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code macspoofchk}: frames entering the bridge from a container's port must carry the
 * container's MAC as their source; others are dropped. nftables, bridge family:
 *
 * <pre>
 * table bridge cni_spoofcheck {
 *     map ports { type ifname : verdict }         # host veth -> goto its attachment's chain
 *     chain prerouting {
 *         type filter hook prerouting priority -300; policy accept;
 *         iifname vmap @ports
 *     }
 *     chain sc-&lt;20 hex&gt; {                          # one per attachment (network, container, ifname)
 *         ether saddr 0a:58:0a:16:00:05 return comment "jcni:&lt;net&gt; port=veth1a2b3c4d C/eth0"
 *         drop comment "..."
 *     }
 * }
 * </pre>
 *
 * <p>Beyond the reference ({@code table bridge nat}, a jump rule per port in one chain, owned by
 * container and ifname only): a frame costs one map lookup whatever the number of ports, and the
 * state is owned by (network, container ID, ifname), so GC of one network never removes another's
 * and DEL needs nothing but the attachment's identity: its chain's name is derived, and its rules
 * record the port its element is keyed on.
 *
 * <p>Element changes are guarded as portmap's are: an element is deleted only in a batch that
 * first {@code add}s it mapping to the chain being removed (nothing if it does; EEXIST, the batch
 * refused, if the key now goes elsewhere), because nft's delete ignores the data.
 */
final class SpoofCheck {
    static final Table TABLE = Table.of(Family.BRIDGE, "cni_spoofcheck");
    static final NftSet PORTS = TABLE.verdictMap("ports", DataType.IFNAME);
    static final Chain PREROUTING = TABLE.baseChain("prerouting", Chain.Type.FILTER, Chain.Hook.PREROUTING,
            Chain.Priority.BRIDGE_DSTNAT);
    static final int ATTEMPTS = 5;

    private final NftRunner nft;

    SpoofCheck(NftRunner nft) {
        this.nft = nft;
    }

    static Chain chainOf(Attachment owner) {
        return TABLE.chain(owner.spoofChain());
    }

    static List<Rule> chainRules(Attachment owner, String hostVeth, MacAddress mac) {
        Chain c = chainOf(owner);
        String comment = owner.spoofRuleComment(hostVeth);
        return List.of(
                Rule.in(c, match(Expr.ETHER_SADDR, mac.toString()), Verdict.RETURN).withComment(comment),
                Rule.in(c, Verdict.DROP).withComment(comment));
    }

    /** Only {@code mac} may send from {@code hostVeth}'s container. */
    void add(Attachment owner, String hostVeth, MacAddress mac) throws CniException, NftException {
        Chain chain = chainOf(owner);
        SetElement element = SetElement.of(hostVeth).mapsTo(Verdict.goTo(chain)).withComment(owner.spoofElementComment());
        boolean takeOver = false;
        for (int attempt = 1; ; attempt++) {
            NftBatch.Builder b = Nft.batch().add(TABLE).add(PORTS).add(PREROUTING).flush(PREROUTING)
                    .add(Rule.in(PREROUTING, Statement.vmap(Expr.META_IIFNAME, PORTS)));
            b.add(chain).flush(chain);
            for (Rule r : chainRules(owner, hostVeth, mac)) {
                b.add(r);
            }
            if (takeOver) {
                // The kernel just gave us this name, so an element for it is a gone veth's.
                b.delete(PORTS.elements(SetElement.of(hostVeth)));
            }
            b.add(PORTS.elements(element));
            try {
                nft.apply(b.build());
                return;
            } catch (NftExistsException stale) {
                Log.info("spoof check: the port map names " + hostVeth + " already, for a veth gone without DEL; taking it over");
                takeOver = true;
            } catch (NftNotFoundException raced) {
                takeOver = false;
            }
            if (attempt >= ATTEMPTS) {
                throw new CniException(CniException.TRY_AGAIN_LATER, "spoof check of " + owner + " kept meeting concurrent changes");
            }
        }
    }

    /** Removes {@code owner}'s chain and the elements going to it; nothing there is success. */
    void remove(Attachment owner) throws CniException, NftException {
        Chain chain = chainOf(owner);
        boolean scan = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<Rule> rules;
            try {
                rules = nft.list(ListTarget.chain(chain)).rules(chain);
            } catch (NftNotFoundException absent) {
                return;  // no chain: no element can go to it (nft refuses a goto to a missing chain)
            }
            List<String> ports = scan ? portsGoingTo(chain.name()) : recordedPorts(rules);
            NftBatch.Builder b = Nft.batch();
            deleteElements(b, chain, ports);
            b.flush(chain).delete(chain);
            try {
                nft.apply(b.build());
                return;
            } catch (NftException e) {
                // EBUSY: an element the record does not name goes to the chain; EEXIST: the recorded
                // port now goes elsewhere; ENOENT: changed meanwhile. Ask the map next time.
                Log.info("spoof check DEL of " + owner + ": " + e.getMessage() + "; reading the port map");
                scan = true;
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "spoof check of " + owner + " kept meeting concurrent changes");
    }

    /**
     * GC: removes the chains of {@code network}'s attachments not in {@code validChains}, with the
     * elements going to them; other networks' are never touched.
     *
     * @return how many attachments' state went
     */
    int collect(String network, Set<String> validChains) throws CniException, NftException {
        String tag = Attachment.spoofNetworkTag(network);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            NftListing l;
            try {
                l = nft.list(ListTarget.table(TABLE));
            } catch (NftNotFoundException absent) {
                return 0;
            }
            List<Chain> stale = new ArrayList<>();
            for (Chain c : l.chains(TABLE)) {
                if (!c.name().startsWith(Attachment.SPOOF_CHAIN_PREFIX) || validChains.contains(c.name())) {
                    continue;
                }
                for (Rule r : l.rules(c)) {
                    if (r.comment() != null && r.comment().startsWith(tag + " ")) {
                        stale.add(c);
                        break;
                    }
                }
            }
            if (stale.isEmpty()) {
                return 0;
            }
            Map<String, List<String>> ports = portsByChain(l.set(TABLE, PORTS.name()));
            NftBatch.Builder b = Nft.batch();
            for (Chain c : stale) {
                List<String> p = ports.get(c.name());
                deleteElements(b, c, p == null ? List.<String>of() : p);
                b.flush(c).delete(c);
            }
            try {
                nft.apply(b.build());
                return stale.size();
            } catch (NftException e) {
                Log.info("spoof check GC of network " + network + ": " + e.getMessage() + "; reading again");
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "spoof check state of network " + network + " kept changing");
    }

    /** The guarded delete of the elements {@code ports} that go to {@code chain}. */
    private static void deleteElements(NftBatch.Builder b, Chain chain, List<String> ports) {
        if (ports.isEmpty()) {
            return;
        }
        List<SetElement> asserted = new ArrayList<>();
        List<SetElement> keys = new ArrayList<>();
        for (String port : ports) {
            asserted.add(SetElement.of(port).mapsTo(Verdict.goTo(chain)));
            keys.add(SetElement.of(port));
        }
        b.add(PORTS.elements(asserted));
        b.delete(PORTS.elements(keys));
    }

    private static List<String> recordedPorts(List<Rule> rules) {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) {
            String port = Attachment.portOf(r.comment());
            if (port != null && !out.contains(port)) {
                out.add(port);
            }
        }
        return out;
    }

    private List<String> portsGoingTo(String chainName) throws NftException {
        NftSet listed;
        try {
            listed = nft.list(ListTarget.set(PORTS)).set(TABLE, PORTS.name());
        } catch (NftNotFoundException absent) {
            return List.of();
        }
        List<String> p = portsByChain(listed).get(chainName);
        return p == null ? List.<String>of() : p;
    }

    /** Listed elements by the chain their verdict goes to. */
    private static Map<String, List<String>> portsByChain(NftSet listed) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (listed == null) {
            return out;
        }
        for (SetElement e : listed.listedElements()) {
            Verdict v = e.verdict();
            if (v == null || v.target() == null || !e.key().isTextual()) {
                continue;
            }
            List<String> l = out.get(v.target());
            if (l == null) {
                l = new ArrayList<>();
                out.put(v.target(), l);
            }
            l.add(e.key().textValue());
        }
        return out;
    }
}
