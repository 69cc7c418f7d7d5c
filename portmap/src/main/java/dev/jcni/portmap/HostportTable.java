package dev.jcni.portmap;

import static dev.jcni.core.os.nft.DataType.INET_PROTO;
import static dev.jcni.core.os.nft.DataType.INET_SERVICE;
import static dev.jcni.core.os.nft.DataType.IPV4_ADDR;
import static dev.jcni.core.os.nft.DataType.IPV6_ADDR;
import static dev.jcni.core.os.nft.Statement.match;
import static dev.jcni.core.os.nft.Statement.vmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.Expr;
import dev.jcni.core.os.nft.Family;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.os.nft.Table;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.SetElement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared part of the ruleset, {@code table inet cni_hostport}: what every attachment's state
 * hangs off, the same for all of them, re-sent with every ADD so an ADD also repairs it. Every
 * shared object is written from a fixed, complete definition ({@code add} of the table, maps and
 * chains, {@code flush} and re-add of each shared chain's rules), never appended to, so any number
 * of concurrent ADDs leave exactly one copy of each rule, with no lock and no read.
 *
 * <pre>
 * map hostip_hostports_v4 { type ipv4_addr . inet_proto . inet_service : verdict }   (and _v6)
 * map hostports_v4        { type inet_proto . inet_service : verdict }               (and _v6)
 * chain hostports {                         # a lookup per packet, whatever the number of mappings
 *     ip daddr . meta l4proto . th dport vmap @hostip_hostports_v4
 *     ip6 daddr . meta l4proto . th dport vmap @hostip_hostports_v6
 *     meta nfproto ipv4 meta l4proto . th dport vmap @hostports_v4
 *     meta nfproto ipv6 meta l4proto . th dport vmap @hostports_v6
 * }
 * chain prerouting { type nat hook prerouting priority dstnat; fib daddr type local jump hostports }
 * chain output     { type nat hook output priority dstnat;     fib daddr type local jump hostports }
 * chain masquerade-bit13 { type nat hook postrouting priority srcnat;   # one per mark bit in use
 *     meta mark &amp; 0x2000 == 0x2000 masquerade
 * }
 * </pre>
 *
 * Only traffic to a local address is looked at ({@code fib daddr type local}): traffic routed
 * through the host to other machines or sandboxes never is (the reference's nftables backend
 * forwarded any destination until CVE-2025-67499). A map element sends its key to the owning
 * attachment's chain with {@code goto}; the hostIP-bound maps are looked up first.
 *
 * <p>The masquerade rule of a mark bit has a base chain of its own because nft has no "add this
 * rule unless it is there": a rule appended to a shared chain by concurrent first ADDs would be
 * appended once by each. A chain per bit can be rewritten whole by every ADD that needs it
 * ({@code add chain}, {@code flush chain}, {@code add rule} in the ADD's own transaction), which
 * leaves one rule however many run at once, and never touches another bit's chain. These chains
 * are shared and never removed, as the reference's SETMARK/MASQ chains are not.
 */
final class HostportTable {
    static final String NAME = "cni_hostport";
    static final String MASQUERADE_PREFIX = "masquerade-bit";

    final Table table;
    final NftSet hostipV4;
    final NftSet hostipV6;
    final NftSet portsV4;
    final NftSet portsV6;
    final Chain hostports;
    final Chain prerouting;
    final Chain output;

    HostportTable() {
        table = Table.of(Family.INET, NAME);
        hostipV4 = table.verdictMap("hostip_hostports_v4", IPV4_ADDR, INET_PROTO, INET_SERVICE);
        hostipV6 = table.verdictMap("hostip_hostports_v6", IPV6_ADDR, INET_PROTO, INET_SERVICE);
        portsV4 = table.verdictMap("hostports_v4", INET_PROTO, INET_SERVICE);
        portsV6 = table.verdictMap("hostports_v6", INET_PROTO, INET_SERVICE);
        hostports = table.chain("hostports");
        prerouting = table.baseChain("prerouting", Chain.Type.NAT, Chain.Hook.PREROUTING, Chain.Priority.DSTNAT);
        output = table.baseChain("output", Chain.Type.NAT, Chain.Hook.OUTPUT, Chain.Priority.DSTNAT);
    }

    List<NftSet> maps() {
        return List.of(hostipV4, hostipV6, portsV4, portsV6);
    }

    NftSet hostipMap(IpAddress.Family f) {
        return f == IpAddress.Family.IPV4 ? hostipV4 : hostipV6;
    }

    NftSet portsMap(IpAddress.Family f) {
        return f == IpAddress.Family.IPV4 ? portsV4 : portsV6;
    }

    /** The map a key lives in: by its family, and whether it names a host address. */
    NftSet mapOf(MapKey key) {
        return key.hostIp() != null ? hostipMap(key.family()) : portsMap(key.family());
    }

    IpAddress.Family familyOf(NftSet map) {
        return map.equals(hostipV4) || map.equals(portsV4) ? IpAddress.Family.IPV4 : IpAddress.Family.IPV6;
    }

    List<Rule> hostportsRules() {
        return List.of(
                Rule.in(hostports, vmap(Expr.concat(Expr.IP_DADDR, Expr.META_L4PROTO, Expr.TH_DPORT), hostipV4)),
                Rule.in(hostports, vmap(Expr.concat(Expr.IP6_DADDR, Expr.META_L4PROTO, Expr.TH_DPORT), hostipV6)),
                Rule.in(hostports, match(Expr.META_NFPROTO, "ipv4"), vmap(Expr.concat(Expr.META_L4PROTO, Expr.TH_DPORT), portsV4)),
                Rule.in(hostports, match(Expr.META_NFPROTO, "ipv6"), vmap(Expr.concat(Expr.META_L4PROTO, Expr.TH_DPORT), portsV6)));
    }

    Rule entryRule(Chain hook) {
        return Rule.in(hook, match(Expr.FIB_DADDR_TYPE, "local"), Verdict.jump(hostports));
    }

    /** The base chain holding the one masquerade rule of {@code markBit}. */
    Chain masqueradeChain(int markBit) {
        return table.baseChain(MASQUERADE_PREFIX + markBit, Chain.Type.NAT, Chain.Hook.POSTROUTING, Chain.Priority.SRCNAT);
    }

    /** {@code meta mark & MARK == MARK masquerade}, the whole content of {@link #masqueradeChain}. */
    Rule masqueradeRule(int markBit) {
        long mark = (1L << markBit) & 0xffffffffL;
        return Rule.in(masqueradeChain(markBit), match(Expr.and(Expr.META_MARK, mark), mark), Statement.masquerade());
    }

    /**
     * The shared part an attachment needs: table, maps, the lookup and hook chains, and with
     * {@code snat} the masquerade chain of its mark bit, each rewritten whole (see the class
     * comment).
     */
    void addShared(NftBatch.Builder b, boolean snat, int markBit) {
        b.add(table).add(hostipV4).add(hostipV6).add(portsV4).add(portsV6);
        b.add(hostports).flush(hostports);
        for (Rule r : hostportsRules()) {
            b.add(r);
        }
        for (Chain hook : List.of(prerouting, output)) {
            b.add(hook).flush(hook).add(entryRule(hook));
        }
        if (snat) {
            Chain masquerade = masqueradeChain(markBit);
            b.add(masquerade).flush(masquerade).add(masqueradeRule(markBit));
        }
    }

    /**
     * Removes the elements of {@code keys} on the condition that each still sends its key to
     * {@code owner}: per map, an {@code add} of the key mapping to {@code goto owner} (nothing
     * if it does; EEXIST, failing the whole batch, if the key now goes to another chain, taken
     * over since it was read; a missing element is made, to go with the delete), then the
     * {@code delete}. nft's delete ignores the data, so without the add a DEL racing a takeover
     * would delete the new owner's element.
     */
    void deleteOwned(NftBatch.Builder b, Chain owner, Collection<MapKey> keys) {
        Map<NftSet, List<SetElement>> byMap = new LinkedHashMap<>();
        for (MapKey k : keys) {
            NftSet map = mapOf(k);
            List<SetElement> l = byMap.get(map);
            if (l == null) {
                l = new ArrayList<>();
                byMap.put(map, l);
            }
            l.add(k.element());
        }
        Verdict toOwner = Verdict.goTo(owner);
        for (Map.Entry<NftSet, List<SetElement>> e : byMap.entrySet()) {
            List<SetElement> asserted = new ArrayList<>();
            for (SetElement el : e.getValue()) {
                asserted.add(el.mapsTo(toOwner));
            }
            b.add(e.getKey().elements(asserted));
            b.delete(e.getKey().elements(e.getValue()));
        }
    }

    /** The elements of {@code map} as listed now; none when the map (or the table) does not exist. */
    List<SetElement> listElements(NftRunner nft, NftSet map) throws NftException {
        try {
            NftSet listed = nft.list(ListTarget.set(map)).set(table, map.name());
            return listed == null ? List.of() : listed.listedElements();
        } catch (NftNotFoundException absent) {
            return List.of();
        }
    }
}
