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
import java.util.List;

/**
 * The shared part of the ruleset, {@code table inet cni_hostport}: what every attachment's state
 * hangs off, the same for all of them, re-sent (idempotently) with every ADD so an ADD also
 * repairs it.
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
 * chain masquerading { type nat hook postrouting priority srcnat;
 *     meta mark &amp; 0x2000 == 0x2000 masquerade       # one rule per mark bit in use
 * }
 * </pre>
 *
 * Only traffic to a local address is looked at ({@code fib daddr type local}): traffic routed
 * through the host to other machines or sandboxes never is (the reference's nftables backend
 * forwarded any destination until CVE-2025-67499). A map element sends its key to the owning
 * attachment's chain with {@code goto}; the hostIP-bound maps are looked up first.
 */
final class HostportTable {
    static final String NAME = "cni_hostport";

    final Table table;
    final NftSet hostipV4;
    final NftSet hostipV6;
    final NftSet portsV4;
    final NftSet portsV6;
    final Chain hostports;
    final Chain prerouting;
    final Chain output;
    final Chain masquerading;

    HostportTable() {
        table = Table.of(Family.INET, NAME);
        hostipV4 = table.verdictMap("hostip_hostports_v4", IPV4_ADDR, INET_PROTO, INET_SERVICE);
        hostipV6 = table.verdictMap("hostip_hostports_v6", IPV6_ADDR, INET_PROTO, INET_SERVICE);
        portsV4 = table.verdictMap("hostports_v4", INET_PROTO, INET_SERVICE);
        portsV6 = table.verdictMap("hostports_v6", INET_PROTO, INET_SERVICE);
        hostports = table.chain("hostports");
        prerouting = table.baseChain("prerouting", Chain.Type.NAT, Chain.Hook.PREROUTING, Chain.Priority.DSTNAT);
        output = table.baseChain("output", Chain.Type.NAT, Chain.Hook.OUTPUT, Chain.Priority.DSTNAT);
        masquerading = table.baseChain("masquerading", Chain.Type.NAT, Chain.Hook.POSTROUTING, Chain.Priority.SRCNAT);
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

    Rule masqueradeRule(int mark) {
        return Rule.in(masquerading, match(Expr.and(Expr.META_MARK, (long) mark & 0xffffffffL), (long) mark & 0xffffffffL),
                Statement.masquerade());
    }

    /** The shared part: table, maps, and the lookup and hook chains, rewritten in place. The masquerading chain is only created. */
    void addBase(NftBatch.Builder b) {
        b.add(table).add(hostipV4).add(hostipV6).add(portsV4).add(portsV6);
        b.add(hostports).flush(hostports);
        for (Rule r : hostportsRules()) {
            b.add(r);
        }
        for (Chain hook : List.of(prerouting, output)) {
            b.add(hook).flush(hook).add(entryRule(hook));
        }
        b.add(masquerading);
    }
}
