package dev.jcni.core.os.nft;

import static dev.jcni.core.os.nft.DataType.INET_PROTO;
import static dev.jcni.core.os.nft.DataType.INET_SERVICE;
import static dev.jcni.core.os.nft.DataType.IPV4_ADDR;
import static dev.jcni.core.os.nft.DataType.IPV6_ADDR;
import static dev.jcni.core.os.nft.Expr.FIB_DADDR_TYPE;
import static dev.jcni.core.os.nft.Expr.IP6_DADDR;
import static dev.jcni.core.os.nft.Expr.IP6_SADDR;
import static dev.jcni.core.os.nft.Expr.IP_DADDR;
import static dev.jcni.core.os.nft.Expr.IP_SADDR;
import static dev.jcni.core.os.nft.Expr.META_L4PROTO;
import static dev.jcni.core.os.nft.Expr.META_MARK;
import static dev.jcni.core.os.nft.Expr.META_NFPROTO;
import static dev.jcni.core.os.nft.Expr.TCP_DPORT;
import static dev.jcni.core.os.nft.Expr.TH_DPORT;
import static dev.jcni.core.os.nft.Expr.UDP_DPORT;
import static dev.jcni.core.os.nft.Statement.dnat;
import static dev.jcni.core.os.nft.Statement.masquerade;
import static dev.jcni.core.os.nft.Statement.match;
import static dev.jcni.core.os.nft.Statement.setMark;
import static dev.jcni.core.os.nft.Statement.vmap;

/**
 * The worked example of nftables-and-peers.md (B5 and the appendix), built with the model the
 * way a newcomer would write the portmap plugin's batches. The golden tests compare these with
 * the appendix JSON, the fake applies them, and the root integration tests (integration-tests,
 * through chain-core's test jar) and bench/nft-runner.sh (which compiles this source with its own)
 * send them to nft. It uses only chain-core's main classes and no lambdas, so the bench can load
 * it as a plugin would.
 */
public final class WorkedExample {
    public static final int MASQ_MARK = 0x2000;

    public final Table table;
    public final NftSet hostipV4;
    public final NftSet hostipV6;
    public final NftSet portsV4;
    public final NftSet portsV6;
    public final Chain hostports;
    public final Chain prerouting;
    public final Chain output;
    public final Chain masquerading;
    public final Chain chainA;
    public final Chain chainB;

    public WorkedExample(String tableName) {
        table = Table.of(Family.INET, tableName);
        hostipV4 = table.verdictMap("hostip_hostports_v4", IPV4_ADDR, INET_PROTO, INET_SERVICE);
        hostipV6 = table.verdictMap("hostip_hostports_v6", IPV6_ADDR, INET_PROTO, INET_SERVICE);
        portsV4 = table.verdictMap("hostports_v4", INET_PROTO, INET_SERVICE);
        portsV6 = table.verdictMap("hostports_v6", INET_PROTO, INET_SERVICE);
        hostports = table.chain("hostports");
        prerouting = table.baseChain("prerouting", Chain.Type.NAT, Chain.Hook.PREROUTING, Chain.Priority.DSTNAT);
        output = table.baseChain("output", Chain.Type.NAT, Chain.Hook.OUTPUT, Chain.Priority.DSTNAT);
        masquerading = table.baseChain("masquerading", Chain.Type.NAT, Chain.Hook.POSTROUTING, Chain.Priority.SRCNAT);
        chainA = table.chain("cnihp-3f9a1c2b7d4e6a80");
        chainB = table.chain("cnihp-0000bbbb0000bbbb");
    }

    public WorkedExample() {
        this("cni_hostport");
    }

    /** 00-base: the static part, idempotent, sent with every ADD. */
    public NftBatch base() {
        return withBase(Nft.batch()).build();
    }

    /** 10-add-container-a: A's chain, its rules and its map elements. */
    public NftBatch addContainerA() {
        return withContainerA(Nft.batch()).build();
    }

    /** 00-base and 10-add-container-a as one batch: one portmap ADD as the plugin sends it. */
    public NftBatch baseAndAddContainerA() {
        return withContainerA(withBase(Nft.batch())).build();
    }

    private NftBatch.Builder withBase(NftBatch.Builder batch) {
        return batch
                .add(table)
                .add(hostipV4).add(hostipV6).add(portsV4).add(portsV6)
                .add(hostports)
                .flush(hostports)
                .add(Rule.in(hostports, vmap(Expr.concat(IP_DADDR, META_L4PROTO, TH_DPORT), hostipV4)))
                .add(Rule.in(hostports, vmap(Expr.concat(IP6_DADDR, META_L4PROTO, TH_DPORT), hostipV6)))
                .add(Rule.in(hostports, match(META_NFPROTO, "ipv4"), vmap(Expr.concat(META_L4PROTO, TH_DPORT), portsV4)))
                .add(Rule.in(hostports, match(META_NFPROTO, "ipv6"), vmap(Expr.concat(META_L4PROTO, TH_DPORT), portsV6)))
                .add(prerouting)
                .flush(prerouting)
                .add(Rule.in(prerouting, match(FIB_DADDR_TYPE, "local"), Verdict.jump(hostports)))
                .add(output)
                .flush(output)
                .add(Rule.in(output, match(FIB_DADDR_TYPE, "local"), Verdict.jump(hostports)))
                .add(masquerading)
                .flush(masquerading)
                .add(Rule.in(masquerading, match(Expr.and(META_MARK, MASQ_MARK), MASQ_MARK), masquerade()));
    }

    private NftBatch.Builder withContainerA(NftBatch.Builder batch) {
        String owner = "a1b2c3d4e5f6/eth0";
        Verdict toA = Verdict.goTo(chainA);
        return batch
                .add(chainA)
                .flush(chainA)
                .add(Rule.in(chainA, match(IP_SADDR, Expr.set("127.0.0.1", "10.0.0.2")), setMark(Expr.or(META_MARK, MASQ_MARK)))
                        .withComment(owner))
                .add(Rule.in(chainA, match(IP6_SADDR, "2001:db8::2"), setMark(Expr.or(META_MARK, MASQ_MARK))).withComment(owner))
                .add(Rule.in(chainA, match(IP_DADDR, "192.168.0.2"), match(TCP_DPORT, 8083), dnat("10.0.0.2", 83)).withComment(owner))
                .add(Rule.in(chainA, match(META_NFPROTO, "ipv4"), match(TCP_DPORT, 8080), dnat("10.0.0.2", 80)).withComment(owner))
                .add(Rule.in(chainA, match(META_NFPROTO, "ipv4"), match(UDP_DPORT, 8080), dnat("10.0.0.2", 81)).withComment(owner))
                .add(Rule.in(chainA, match(META_NFPROTO, "ipv6"), match(TCP_DPORT, 8080), dnat("2001:db8::2", 80)).withComment(owner))
                .add(hostipV4.elements(SetElement.of("192.168.0.2", "tcp", 8083).withComment(owner).mapsTo(toA)))
                .add(portsV4.elements(
                        SetElement.of("tcp", 8080).withComment(owner).mapsTo(toA),
                        SetElement.of("udp", 8080).withComment(owner).mapsTo(toA)))
                .add(portsV6.elements(SetElement.of("tcp", 8080).withComment(owner).mapsTo(toA)));
    }

    /** 20-del-container-a: A's elements, then its chain flushed and deleted. */
    public NftBatch deleteContainerA() {
        return Nft.batch()
                .delete(hostipV4.elements(SetElement.of("192.168.0.2", "tcp", 8083)))
                .delete(portsV4.elements(SetElement.of("tcp", 8080), SetElement.of("udp", 8080)))
                .delete(portsV6.elements(SetElement.of("tcp", 8080)))
                .flush(chainA)
                .delete(chainA)
                .build();
    }

    private Rule ruleB() {
        return Rule.in(chainB, match(META_NFPROTO, "ipv4"), match(TCP_DPORT, 8080), dnat("10.0.0.3", 80)).withComment("b0b0/eth0");
    }

    private SetElement elementB() {
        return SetElement.of("tcp", 8080).withComment("b0b0/eth0").mapsTo(Verdict.goTo(chainB));
    }

    /** 30-add-container-b-conflict: B claims tcp . 8080, which A owns. */
    public NftBatch addContainerBConflicting() {
        return Nft.batch().add(chainB).add(ruleB()).add(portsV4.elements(elementB())).build();
    }

    /** 35-add-container-b-takeover: B takes tcp . 8080 over, atomically. */
    public NftBatch addContainerBTakingOver() {
        return Nft.batch()
                .add(chainB)
                .flush(chainB)
                .add(ruleB())
                .delete(portsV4.elements(SetElement.of("tcp", 8080)))
                .add(portsV4.elements(elementB()))
                .build();
    }

    /** 40-bad-delete-chain-only: deleting A's chain while map elements still go to it. */
    public NftBatch deleteChainAOnly() {
        return Nft.batch().delete(chainA).build();
    }

    /** 50-list-table. */
    public ListTarget listTable() {
        return ListTarget.table(table);
    }
}
