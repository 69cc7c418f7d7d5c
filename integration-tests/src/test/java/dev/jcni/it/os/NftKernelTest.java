package dev.jcni.it.os;

import static dev.jcni.core.os.nft.DataType.INET_PROTO;
import static dev.jcni.core.os.nft.DataType.INET_SERVICE;
import static dev.jcni.core.os.nft.DataType.IPV4_ADDR;
import static dev.jcni.core.os.nft.DataType.IPV6_ADDR;
import static dev.jcni.core.os.nft.Statement.dnat;
import static dev.jcni.core.os.nft.Statement.match;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.DataType;
import dev.jcni.core.os.nft.Expr;
import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.Family;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftBusyException;
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
import dev.jcni.core.os.nft.WorkedExample;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The nftables model against the real nft (Debian 12, nftables 1.0.6) in a fresh namespace: the
 * batches it builds are accepted, {@code nft -j list} output is read back by NftListing, generated
 * rules equal the listed ones, errors come out typed, and after every step the real listing equals
 * FakeNftRunner's (objects, order, handles, element order), which is what makes the fake worth
 * trusting in the plugins' unit tests.
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NftKernelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MASQ = 0x2000;

    private TestNetns ns;
    private NftCli nft;
    private final FakeNftRunner fake = new FakeNftRunner();

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(NftCli.NFT)), "nft (Debian package nftables) is not installed");
        ns = TestNetns.create();
        nft = new NftCli(ns.name());
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    /** Applies to both the real nft and the fake; both must accept or both refuse with the same type. */
    private void applyBoth(NftBatch batch) throws NftException {
        NftException real = null;
        try {
            nft.apply(batch);
        } catch (NftException e) {
            real = e;
        }
        NftException mine = null;
        try {
            fake.apply(batch);
        } catch (NftException e) {
            mine = e;
        }
        if (real == null && mine == null) {
            return;
        }
        assertTrue(real != null && mine != null, "real nft: " + real + "; fake: " + mine + "; batch " + batch);
        assertEquals(real.getClass(), mine.getClass(), real.errorText() + " vs " + mine.errorText());
        assertEquals(real.errno(), mine.errno());
        assertEquals(NftErrorsMessages.of(real), NftErrorsMessages.of(mine), "same error lines");
        throw real;
    }

    /** The real listing of {@code target}, checked equal to the fake's; returned parsed. */
    private NftListing listBoth(ListTarget target) throws Exception {
        String real = nft.listJson(target);
        assertEquals(JSON.readTree(real), JSON.readTree(fake.listJson(target)), "fake listing differs from nft's for " + target);
        return NftListing.parse(real);
    }

    private static final class NftErrorsMessages {
        static List<String> of(NftException e) {
            List<String> out = new ArrayList<>();
            for (String line : e.errorText().split("\n")) {
                if (line.contains("Error: ")) {
                    out.add(line.substring(line.indexOf("Error: ")));
                }
            }
            return out;
        }
    }

    // ---- the worked example of nftables-and-peers.md, step by step

    @Test
    void workedExampleSequence() throws Exception {
        WorkedExample p = new WorkedExample();
        applyBoth(p.base());
        applyBoth(p.addContainerA());
        NftListing l = listBoth(p.listTable());
        assertEquals("1.0.6", l.version(), "these facts were established on nftables 1.0.6");
        assertEquals(5, l.chains().size());
        assertEquals(6, l.rules(p.chainA).size());
        assertEquals(2, l.set(p.table, "hostports_v4").listedElements().size());

        // Every rule the model generated is listed back equal: what a CHECK compares.
        List<Rule> generated = new ArrayList<>();
        for (NftBatch b : List.of(p.base(), p.addContainerA())) {
            b.commands().forEach(c -> {
                if (c.object() instanceof Rule) {
                    generated.add((Rule) c.object());
                }
            });
        }
        assertEquals(generated.size(), l.rules().size());
        for (int i = 0; i < generated.size(); i++) {
            assertTrue(generated.get(i).sameContent(l.rules().get(i)), generated.get(i) + "\n vs listed " + l.rules().get(i));
        }

        // Idempotent re-run.
        applyBoth(p.base());
        applyBoth(p.addContainerA());
        assertEquals(6, listBoth(p.listTable()).rules(p.chainA).size());

        // B claims A's port: EEXIST, and nothing of B appears.
        NftExistsException conflict = assertThrows(NftExistsException.class, () -> applyBoth(p.addContainerBConflicting()));
        assertEquals(p.addContainerBConflicting().toJson(), conflict.batchJson());
        assertNull(listBoth(p.listTable()).chain(p.table, p.chainB.name()));

        // A's chain alone, still referenced by its elements: EBUSY.
        assertThrows(NftBusyException.class, () -> applyBoth(p.deleteChainAOnly()));

        // DEL of A, then again: ENOENT (no destroy in 1.0.6).
        applyBoth(p.deleteContainerA());
        NftListing afterDel = listBoth(p.listTable());
        assertNull(afterDel.chain(p.table, p.chainA.name()));
        for (NftSet s : afterDel.sets()) {
            assertTrue(s.listedElements().isEmpty(), s.name());
        }
        NftNotFoundException again = assertThrows(NftNotFoundException.class, () -> applyBoth(p.deleteContainerA()));
        assertEquals(5, NftErrorsMessages.of(again).size(), "the kernel reports each failed command: " + again.errorText());

        // A again, then B takes tcp . 8080 over atomically.
        applyBoth(p.addContainerA());
        applyBoth(p.addContainerBTakingOver());
        NftSet v4 = listBoth(ListTarget.set(p.portsV4)).set(p.table, "hostports_v4");
        for (SetElement e : v4.listedElements()) {
            boolean tcp = e.keyParts().get(0).asText().equals("tcp");
            assertEquals(tcp ? p.chainB.name() : p.chainA.name(), e.verdict().target(), e.toString());
            assertEquals(tcp ? "b0b0/eth0" : "a1b2c3d4e5f6/eth0", e.comment());
        }
        listBoth(ListTarget.ruleset());
        listBoth(ListTarget.chain(p.chainB));
    }

    @Test
    void aFailedBatchChangesNothing() throws Exception {
        WorkedExample p = new WorkedExample();
        applyBoth(p.base());
        String before = nft.listJson(ListTarget.ruleset());
        // A chain, a rule in it, and an element whose goto names a chain that does not exist.
        Chain c = p.table.chain("half");
        NftBatch bad = Nft.batch()
                .add(c)
                .add(Rule.in(c, Verdict.ACCEPT))
                .add(p.portsV4.elements(SetElement.of("tcp", 1).mapsTo(Verdict.goTo("nosuch"))))
                .build();
        NftNotFoundException e = assertThrows(NftNotFoundException.class, () -> applyBoth(bad));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals(JSON.readTree(before), JSON.readTree(nft.listJson(ListTarget.ruleset())));
        listBoth(ListTarget.ruleset());
    }

    // ---- bridge's ipMasq and macspoofchk, and the rest of the statement set

    @Test
    void bridgeMacspoofchkAndMasqueradeShapes() throws Exception {
        Table bridgeNat = Table.of(Family.BRIDGE, "nat");
        Chain pre = Chain.base(bridgeNat, "PREROUTING", Chain.Type.FILTER, Chain.Hook.PREROUTING, Chain.Priority.BRIDGE_DSTNAT,
                Chain.Policy.ACCEPT);
        Chain iface = bridgeNat.chain("cni-br-iface-abc-eth0");
        Chain mac = bridgeNat.chain("cni-br-iface-abc-eth0-mac");
        String tag = "macspoofchk-abc-eth0";
        NftBatch spoof = Nft.batch()
                .add(bridgeNat).add(pre).add(iface).add(mac)
                .flush(iface).flush(mac)
                .add(Rule.in(pre, match(Expr.META_IIFNAME, "veth1234"), Verdict.jump(iface)).withComment(tag))
                .add(Rule.in(iface, Verdict.jump(mac)).withComment(tag))
                .add(Rule.in(mac, match(Expr.ETHER_SADDR, "0A:58:0A:F4:00:05"), Verdict.RETURN).withComment(tag))
                .add(Rule.in(mac, Statement.counter(), Verdict.DROP).withComment(tag))
                .build();

        Table masq = Table.of(Family.INET, "cni_plugins_masquerade");
        Chain post = masq.baseChain("postrouting", Chain.Type.NAT, Chain.Hook.POSTROUTING, Chain.Priority.SRCNAT);
        Chain checks = masq.chain("masq_checks");
        Chain prerouting = masq.baseChain("prerouting", Chain.Type.NAT, Chain.Hook.PREROUTING, Chain.Priority.DSTNAT);
        Chain dnats = masq.chain("dnat_checks");
        NftSet pairs = masq.set("pairs", IPV4_ADDR, IPV4_ADDR);
        NftSet nets = masq.set("nets", IPV4_ADDR).withFlags(NftSet.Flag.INTERVAL);
        NftSet ports = NftSet.map(masq, "ports", DataType.INET_SERVICE, INET_SERVICE);
        NftBatch masquerade = Nft.batch()
                .add(masq).add(pairs).add(nets).add(ports).add(checks).add(post).add(dnats).add(prerouting)
                .add(pairs.elements(SetElement.of("10.0.0.1", "10.0.0.2"), SetElement.of("10.0.0.1", "10.0.0.1")))
                .add(nets.elements(SetElement.of(Expr.prefix("10.1.0.0", 16)), SetElement.of(Expr.range("10.3.0.1", "10.3.0.9"))))
                .add(ports.elements(SetElement.of(80).mapsTo(8080), SetElement.of(443).mapsTo(8443)))
                .flush(post)
                .add(Rule.in(post, match(Expr.IP_DADDR, Expr.prefix("224.0.0.0", 4)), Verdict.RETURN))
                .add(Rule.in(post, match(Expr.IP6_DADDR, Expr.prefix("ff00::", 8)), Verdict.RETURN))
                .add(Rule.in(post, Verdict.goTo(checks)))
                .add(Rule.in(checks, match(Expr.IP_SADDR, "10.22.0.5"), match(Expr.IP_DADDR, Statement.Op.NE, Expr.prefix("10.22.0.0", 16)),
                        Statement.masquerade()).withComment("h1-h2, net: n, if: eth0, id: abc"))
                .add(Rule.in(checks, match(Expr.CT_STATE, Statement.Op.IN, Expr.flags("related", "established")),
                        match(Expr.CT_STATUS, Statement.Op.IN, Expr.flags("dnat")), Statement.counter(), Verdict.ACCEPT))
                .add(Rule.in(checks, match(Expr.CT_STATE, "invalid"), Statement.log("jcni: "), Verdict.DROP))
                .add(Rule.in(checks, match(Expr.TH_DPORT, Expr.range(30000, 30010)), match(Expr.META_L4PROTO, Expr.set("udp", "tcp")),
                        Statement.snat("192.0.2.1")))
                .add(Rule.in(checks, match(Expr.META_IIFNAME, "lo"), Statement.setMark(MASQ),
                        Statement.setCtMark(Expr.or(Expr.META_MARK, 0x1000)), Verdict.CONTINUE))
                .add(Rule.in(checks, match(Expr.and(Expr.CT_MARK, 0x1000), 0x1000), match(Expr.META_OIFNAME, Statement.Op.NE, "lo"),
                        Statement.masquerade()))
                .add(Rule.in(prerouting, Verdict.jump(dnats)))
                .add(Rule.in(dnats, match(Expr.META_NFPROTO, "ipv6"), dnat("2001:DB8::2")))
                .add(Rule.in(dnats, match(Expr.concat(Expr.IP_SADDR, Expr.IP_DADDR), Expr.setRef(pairs)),
                        match(Expr.IP_DADDR, Statement.Op.NE, Expr.setRef(nets)), match(Expr.META_L4PROTO, "udp"), Statement.redirect(8080)))
                .add(Rule.in(dnats, match(Expr.IP6_SADDR, Expr.set("fe80::1", "2001:db8::10", "::1")), match(Expr.SCTP_DPORT, 9),
                        dnat("2001:db8::3", 99)))
                .add(Rule.in(dnats, match(Expr.TCP_DPORT, Statement.Op.GE, 1024), match(Expr.IP_PROTOCOL, "tcp"),
                        match(Expr.META_MARK, Statement.Op.NE, 0xffffffffL), dnat("10.9.9.9", 1)))
                .build();
        applyBoth(spoof);
        applyBoth(masquerade);
        NftListing l = listBoth(ListTarget.ruleset());

        List<Rule> generated = new ArrayList<>();
        for (NftBatch b : List.of(spoof, masquerade)) {
            b.commands().forEach(c -> {
                if (c.object() instanceof Rule) {
                    generated.add((Rule) c.object());
                }
            });
        }
        int matched = 0;
        for (Rule g : generated) {
            List<Rule> listed = l.rules(g.chain());
            boolean found = false;
            for (Rule r : listed) {
                found |= sameIgnoringCounterValues(g, r);
            }
            assertTrue(found, "generated rule not listed back equal: " + g + "\nlisted: " + listed);
            matched++;
        }
        assertEquals(18, matched);
        assertEquals(List.of("interval"), l.set(masq, "nets").flags());
        assertEquals("inet_service", l.set(masq, "ports").valueType());
        assertEquals(2, l.set(masq, "ports").listedElements().size());
        assertEquals(-300, l.chain(bridgeNat, "PREROUTING").priority());

        // Teardown as macspoofchk does it: the rule by handle, then both chains.
        Rule jump = l.rules(pre).get(0);
        applyBoth(Nft.batch().delete(jump).delete(iface).delete(mac).build());
        NftListing after = listBoth(ListTarget.table(bridgeNat));
        assertEquals(1, after.chains().size());
        assertTrue(after.rules().isEmpty());
    }

    /** Equal, except that nft lists an anonymous counter with its packets and bytes. */
    private static boolean sameIgnoringCounterValues(Rule generated, Rule listed) {
        return generated.chain().equals(listed.chain())
                && java.util.Objects.equals(generated.comment(), listed.comment())
                && generated.statements().toString().equals(
                        listed.statements().toString().replace("{\"counter\":{\"packets\":0,\"bytes\":0}}", "{\"counter\":null}"));
    }

    // ---- element order, canonical values

    @Test
    void elementOrderAndCanonicalValuesMatchNft() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Table t = Table.of(Family.INET, "order");
        NftSet v4 = t.set("v4", IPV4_ADDR);
        NftSet v6 = t.set("v6", IPV6_ADDR);
        NftSet pp = t.set("pp", INET_PROTO, INET_SERVICE);
        NftSet app = t.set("app", IPV4_ADDR, INET_PROTO, INET_SERVICE);
        NftSet ifs = t.set("ifs", DataType.IFNAME);
        NftSet macs = t.set("macs", DataType.ETHER_ADDR);
        NftSet marks = t.set("marks", DataType.MARK);
        Chain c = t.chain("c");
        String[] protos = {"tcp", "udp", "sctp"};
        List<SetElement> e4 = new ArrayList<>();
        List<SetElement> e6 = new ArrayList<>();
        List<SetElement> epp = new ArrayList<>();
        List<SetElement> eapp = new ArrayList<>();
        List<SetElement> eifs = new ArrayList<>();
        List<SetElement> emacs = new ArrayList<>();
        List<SetElement> emarks = new ArrayList<>();
        List<Object> anon4 = new ArrayList<>();
        List<Object> anonPorts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String a4 = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (i + 1);
            e4.add(SetElement.of(a4));
            anon4.add(a4);
            e6.add(SetElement.of(Integer.toHexString(random.nextInt(0x10000)) + ":db8::" + Integer.toHexString(i + 1)));
            String proto = protos[i % 3];
            int port = 1 + random.nextInt(65535);
            epp.add(SetElement.of(proto, port));
            anonPorts.add(port);
            eapp.add(SetElement.of("10.0." + random.nextInt(4) + "." + (i + 1), proto, port));
            eifs.add(SetElement.of("v" + Integer.toString(random.nextInt(1 << 20), 36) + i));
            emacs.add(SetElement.of(String.format("%02x:00:5e:00:%02x:%02x", random.nextInt(128) * 2, random.nextInt(256), i)));
            emarks.add(SetElement.of((long) random.nextInt(Integer.MAX_VALUE) * 2 + i));
        }
        Collections.shuffle(anonPorts, random);
        NftBatch b = Nft.batch()
                .add(t).add(v4).add(v6).add(pp).add(app).add(ifs).add(macs).add(marks).add(c)
                .add(v4.elements(e4)).add(v6.elements(e6)).add(pp.elements(distinct(epp))).add(app.elements(distinct(eapp)))
                .add(ifs.elements(eifs)).add(macs.elements(emacs)).add(marks.elements(distinct(emarks)))
                .add(Rule.in(c, match(Expr.IP_SADDR, Expr.set(anon4.toArray())), Verdict.ACCEPT))
                .add(Rule.in(c, match(Expr.TH_DPORT, Expr.set(distinctValues(anonPorts).toArray())), Verdict.ACCEPT))
                .add(Rule.in(c, match(Expr.CT_STATE, Statement.Op.IN, Expr.flags("untracked", "new", "related", "established")),
                        Verdict.ACCEPT))
                .add(Rule.in(c, match(Expr.META_L4PROTO, 58), match(Expr.IP6_SADDR, "::ffff:1.2.3.4"), Verdict.ACCEPT))
                .build();
        applyBoth(b);
        NftListing l;
        try {
            l = listBoth(ListTarget.table(t));
        } catch (AssertionError e) {
            throw new AssertionError("random seed " + seed + ": " + e.getMessage(), e);
        }
        List<Rule> rules = l.rules(c);
        int i = 0;
        for (var cmd : b.commands()) {
            if (cmd.object() instanceof Rule) {
                assertTrue(((Rule) cmd.object()).sameContent(rules.get(i)), "seed " + seed + ": " + cmd.object() + " vs " + rules.get(i));
                i++;
            }
        }
        assertEquals(4, i);
    }

    private static List<SetElement> distinct(List<SetElement> elements) {
        List<String> seen = new ArrayList<>();
        List<SetElement> out = new ArrayList<>();
        for (SetElement e : elements) {
            if (!seen.contains(e.toString())) {
                seen.add(e.toString());
                out.add(e);
            }
        }
        return out;
    }

    private static List<Object> distinctValues(List<Object> values) {
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    // ---- errors and 1.0.6 findings

    @Test
    void typedErrorsFromRealNft() throws Exception {
        Table t = Table.of(Family.INET, "errs");
        Chain in = t.baseChain("in", Chain.Type.FILTER, Chain.Hook.INPUT, 0);
        applyBoth(Nft.batch().add(t).add(in).build());
        assertThrows(NftExistsException.class, () -> applyBoth(Nft.batch().create(t).build()));
        NftException hook = assertThrows(NftException.class,
                () -> applyBoth(Nft.batch().add(t.baseChain("in", Chain.Type.FILTER, Chain.Hook.OUTPUT, 0)).build()));
        assertEquals(Errno.EOPNOTSUPP, hook.errno());
        assertThrows(NftNotFoundException.class, () -> applyBoth(Nft.batch().delete(t.chain("nosuch")).build()));
        NftNotFoundException list = assertThrows(NftNotFoundException.class, () -> nft.list(ListTarget.table(Table.of(Family.IP, "nosuch"))));
        assertEquals("nft list table ip nosuch", list.operation());
        assertInstanceOf(NftNotFoundException.class, assertThrows(NftException.class, () -> fake.list(ListTarget.table(Table.of(Family.IP, "nosuch")))));
    }

    @Test
    void aStringPriorityMakesARegularChainInNft106() throws Exception {
        // Why Chain sends prio as a number: nft 1.0.6 takes "dstnat" without error and makes a
        // regular chain, hooked nowhere. The fake does the same, so both listings agree.
        String json = "{\"nftables\":[{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"p\"}}},"
                + "{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"p\",\"name\":\"pre\",\"type\":\"nat\","
                + "\"hook\":\"prerouting\",\"prio\":\"dstnat\",\"policy\":\"accept\"}}}]}";
        nft.applyJson(json);
        fake.applyJson(json);
        Chain listed = listBoth(ListTarget.table(Table.of(Family.INET, "p"))).chains().get(0);
        assertFalse(listed.isBase(), "nft 1.0.6 now hooks a chain given a named priority: the model could send names");
    }
}
