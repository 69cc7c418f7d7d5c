package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpPrefix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Qdiscs, classes and filters as values: equality over every field (a fake kernel stores and
 * compares them), their descriptions in tc's words (operations and errors name them), and what a
 * wanted one tells of an actual one ({@code differences}, the plugins' CHECK).
 */
class TcObjectsTest {
    private static final Psched CLOCK = Psched.standard();
    private static final TcOptions HTB_CLASS = QdiscHtbClass.options(1000, 2000, 1600, 1500);

    private static void eachDiffers(Object base, Object equalCopy, Object... others) {
        assertEquals(base, equalCopy);
        assertEquals(base.hashCode(), equalCopy.hashCode());
        assertFalse(base.equals("text"));
        Set<Integer> hashes = new HashSet<>();
        hashes.add(base.hashCode());
        for (Object o : others) {
            assertNotEquals(base, o, "differs from " + o);
            hashes.add(o.hashCode());
        }
        assertTrue(hashes.size() > 1, "all hashes equal: " + hashes);
    }

    private static Filter u32(int ifindex, TcHandle parent, int prio, int protocol, int handle, int classMinor) {
        return new Filter(ifindex, parent, prio, protocol, handle,
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, classMinor), null));
    }

    @Test
    void filterEqualityTakesEveryField() {
        TcHandle p = TcHandle.INGRESS_QDISC;
        int h = FilterU32.handle(0x800, 0, 0x800);
        eachDiffers(u32(3, p, 1, Filter.ETH_P_ALL, h, 1), u32(3, p, 1, Filter.ETH_P_ALL, h, 1),
                u32(4, p, 1, Filter.ETH_P_ALL, h, 1),
                u32(3, TcHandle.CLSACT_INGRESS, 1, Filter.ETH_P_ALL, h, 1),
                u32(3, p, 2, Filter.ETH_P_ALL, h, 1),
                u32(3, p, 1, Filter.ETH_P_IP, h, 1),
                u32(3, p, 1, Filter.ETH_P_ALL, h + 1, 1),
                u32(3, p, 1, Filter.ETH_P_ALL, h, 2));
    }

    @Test
    void filterWithAnotherHandleKeepsTheRest() {
        Filter f = u32(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0, 1);
        Filter g = f.withHandle(FilterU32.handle(0x800, 0, 0x801));
        assertEquals(FilterU32.handle(0x800, 0, 0x801), g.handle());
        assertEquals(u32(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0x80000801, 1), g);
    }

    @Test
    void filterDescriptionIsInTcsWords() {
        assertEquals("u32 parent ffff: protocol all prio 1 handle 800::800",
                u32(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, FilterU32.handle(0x800, 0, 0x800), 1).describe());
        assertEquals("u32 parent 1: protocol ip prio 16",
                u32(3, TcHandle.qdisc(1), 16, Filter.ETH_P_IP, 0, 1).describe(), "handle 0: none printed");
        Filter f = u32(3, TcHandle.qdisc(1), 16, Filter.ETH_P_IPV6, 0, 2);
        assertEquals("filter u32 parent 1: protocol ipv6 prio 16 (index 3) " + f.options(), f.toString());
        assertTrue(f.options().toString().startsWith("u32{"), f.options().toString());
    }

    @Test
    void aHandleOfAnotherFilterKindIsHex() {
        TcKind basic = TcKind.unknown("basic", TcKind.Family.FILTER);
        Filter wanted = new Filter(3, TcHandle.qdisc(1), 1, Filter.ETH_P_ALL, 0x2a, TcOptions.of(basic));
        Filter actual = new Filter(3, TcHandle.qdisc(1), 1, Filter.ETH_P_ALL, 0x2b, TcOptions.of(basic));
        assertEquals("basic parent 1: protocol all prio 1 handle 0x2a", wanted.describe());
        assertEquals(List.of("handle 0x2a (kernel: 0x2b)"), wanted.differences(actual, CLOCK));
    }

    @Test
    void filterDifferencesNameEachField() {
        Filter wanted = u32(3, TcHandle.qdisc(1), 16, Filter.ETH_P_IP, FilterU32.handle(0x800, 0, 0x800), 1);
        Filter actual = u32(3, TcHandle.qdisc(2), 17, Filter.ETH_P_IPV6, FilterU32.handle(0x801, 0, 0x800), 1);
        assertEquals(List.of("parent 1: (kernel: 2:)", "prio 16 (kernel: 17)", "protocol ip (kernel: ipv6)",
                "handle 800::800 (kernel: 801::800)"), wanted.differences(actual, CLOCK));
        assertEquals(List.of(), wanted.differences(wanted, CLOCK));
        Filter anyHandle = u32(3, TcHandle.qdisc(1), 16, Filter.ETH_P_IP, 0, 1);
        assertEquals(List.of(), anyHandle.differences(wanted, CLOCK), "a wanted handle 0 matches any");
    }

    @Test
    void filterActionsMatchOnlyTheSameList() {
        Filter noActions = new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), null, null));
        Filter withAction = new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), null, List.of(ActionMirred.redirect(4))));
        Filter emptyActions = new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
                TcOptions.of(FilterU32.KIND).with(FilterU32.SELECTOR, FilterU32Selector.matchAll())
                        .with(FilterU32.ACTIONS, List.of()));
        assertEquals(1, withAction.differences(noActions, CLOCK).size(), "the kernel has no action");
        assertEquals(List.of(), emptyActions.differences(noActions, CLOCK), "none wanted, none there");
        assertEquals(List.of(), withAction.differences(withAction, CLOCK));
    }

    @Test
    void classEqualityTakesEveryField() {
        TcClass base = new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1), HTB_CLASS, TcHandle.qdisc(0x30));
        eachDiffers(base, new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1), HTB_CLASS, TcHandle.qdisc(0x30)),
                new TcClass(5, TcHandle.of(1, 0x30), TcHandle.of(1, 1), HTB_CLASS, TcHandle.qdisc(0x30)),
                new TcClass(4, TcHandle.of(1, 0x31), TcHandle.of(1, 1), HTB_CLASS, TcHandle.qdisc(0x30)),
                new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 2), HTB_CLASS, TcHandle.qdisc(0x30)),
                new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1), QdiscHtbClass.options(1000, 2000, 1600, 1400),
                        TcHandle.qdisc(0x30)));
        assertNotEquals(base, new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1), HTB_CLASS, TcHandle.UNSPEC),
                "another leaf qdisc");
        assertEquals(TcHandle.qdisc(0x30), base.leaf());
        assertEquals("htb", base.kind());
    }

    @Test
    void classDescriptionIsInTcsWords() {
        TcClass c = new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1), HTB_CLASS);
        assertEquals("htb 1:30 parent 1:1", c.describe());
        assertEquals("class htb 1:30 parent 1:1 (index 4) " + HTB_CLASS, c.toString());
        assertEquals("htb 1:1 root", new TcClass(4, TcHandle.of(1, 1), TcHandle.ROOT, HTB_CLASS).describe());
    }

    @Test
    void qdiscEqualityAndDescription() {
        Qdisc base = Qdisc.root(3, 1, QdiscFifo.packets(10));
        eachDiffers(base, Qdisc.root(3, 1, QdiscFifo.packets(10)),
                Qdisc.root(4, 1, QdiscFifo.packets(10)),
                Qdisc.root(3, 2, QdiscFifo.packets(10)),
                new Qdisc(3, TcHandle.qdisc(1), TcHandle.of(1, 1), QdiscFifo.packets(10)),
                Qdisc.root(3, 1, QdiscFifo.packets(11)));
        assertEquals("pfifo 1: root (index 3) pfifo{limit 10}", base.toString());
        assertEquals("pfifo 30: parent 1:30 (index 4) pfifo{limit 100}",
                new Qdisc(4, TcHandle.qdisc(0x30), TcHandle.of(1, 0x30), QdiscFifo.packets(100)).toString());
    }

    @Test
    void qdiscDifferencesNameParentAndHandle() {
        Qdisc wanted = Qdisc.root(3, 1, QdiscFifo.packets(10));
        Qdisc actual = new Qdisc(3, TcHandle.qdisc(2), TcHandle.of(1, 1), QdiscFifo.packets(10));
        assertEquals(List.of("parent root (kernel: 1:1)", "handle 1: (kernel: 2:)"), wanted.differences(actual, CLOCK));
        Qdisc anyHandle = new Qdisc(3, TcHandle.UNSPEC, TcHandle.ROOT, QdiscFifo.packets(10));
        assertEquals(List.of(), anyHandle.differences(Qdisc.root(3, 7, QdiscFifo.packets(10)), CLOCK));
    }

    @Test
    void optionsEqualityTakesKindAndValues() {
        assertEquals(QdiscFifo.packets(10), QdiscFifo.packets(10));
        assertEquals(QdiscFifo.packets(10).hashCode(), QdiscFifo.packets(10).hashCode());
        assertNotEquals(QdiscFifo.packets(10), QdiscFifo.packets(11));
        assertNotEquals(QdiscFifo.packets(10), QdiscFifo.bytes(10), "pfifo and bfifo share rows, not a name");
        assertNotEquals(QdiscFifo.packets(10).hashCode(), QdiscFifo.packets(11).hashCode());
        assertFalse(QdiscFifo.packets(10).equals("pfifo"));
        assertNotEquals(TcOptions.of(TcKind.unknown("x", TcKind.Family.QDISC)), TcOptions.of(TcKind.unknown("x", TcKind.Family.CLASS)),
                "same name, another family");
    }

    @Test
    void u32HandlesAndPrefixes() throws Exception {
        Filter f = new Filter(3, TcHandle.qdisc(1), 16, Filter.ETH_P_IP, 0,
                FilterU32.options(FilterU32Selector.destination(IpPrefix.parse("10.1.2.0/24")), TcHandle.of(1, 2), null));
        assertEquals("u32", f.kind());
        assertEquals(TcHandle.of(1, 2), f.get(FilterU32.CLASSID));
    }
}
