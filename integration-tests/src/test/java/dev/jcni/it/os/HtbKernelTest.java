package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.BusyException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.FilterU32;
import dev.jcni.core.os.netlink.FilterU32Selector;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.QdiscFifo;
import dev.jcni.core.os.netlink.QdiscHtb;
import dev.jcni.core.os.netlink.QdiscHtbClass;
import dev.jcni.core.os.netlink.TcClass;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.it.support.RequiresRoot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTB tree as subnet exemptions would build it: a shaped default class, an unshaped one at
 * 100 Gbit/s, FIFO leaves, and u32 rules steering IPv4 and IPv6 destinations into the unshaped
 * class. Read back by us and by {@code tc -raw -d class show} (tc 6.1 has no JSON for HTB classes).
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HtbKernelTest {
    private static final TcHandle ROOT = TcHandle.qdisc(1);
    private static final TcHandle SHAPED = TcHandle.of(1, 0x30);
    private static final TcHandle UNSHAPED = TcHandle.of(1, 2);
    /** class htb 1:30 parent 1:1 leaf 30: prio 1 quantum 1514 rate ... buffer [0017d784] cbuffer [000bebc2] */
    private static final Pattern CLASS = Pattern.compile(
            "class htb (\\S+) (?:root|parent (\\S+)) (?:leaf (\\S+) )?(?:prio (\\d+) )?(?:quantum (\\d+) )?.*"
                    + "buffer \\[([0-9a-f]+)\\] cbuffer \\[([0-9a-f]+)\\]");

    private TcLab lab;
    private int dev;
    private Psched clock;

    @BeforeEach
    void setUp() throws Exception {
        lab = new TcLab();
        dev = lab.index(lab.dev);
        clock = lab.inside(c -> c.clock);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private List<TcClass> classes() {
        return List.of(
                new TcClass(dev, TcHandle.of(1, 1), ROOT, QdiscHtbClass.options(12_500_000, 12_500_000, 15_360, 60_000)),
                new TcClass(dev, SHAPED, TcHandle.of(1, 1), QdiscHtbClass.options(1_250_000, 2_500_000, 125_000, 1514)
                        .with(QdiscHtbClass.PRIO, 1L)),
                new TcClass(dev, UNSHAPED, ROOT, QdiscHtbClass.options(12_500_000_000L, 12_500_000_000L, 1_000_000, 200_000)));
    }

    private List<Filter> exemptions() throws Exception {
        return List.of(
                new Filter(dev, ROOT, 15, Filter.ETH_P_IPV6, 0, FilterU32.options(
                        FilterU32Selector.destination(IpPrefix.parse("2001:db8:7::/48")), UNSHAPED, null)),
                new Filter(dev, ROOT, 16, Filter.ETH_P_IP, 0, FilterU32.options(
                        FilterU32Selector.destination(IpPrefix.parse("10.44.0.0/16")), UNSHAPED, null)));
    }

    private void build() throws Exception {
        List<Filter> filters = exemptions();
        lab.inside(tc -> {
            tc.qdiscs.add(Qdisc.root(dev, 1, QdiscHtb.options(0x30)));
            for (TcClass c : classes()) {
                tc.classes.add(c);
            }
            tc.qdiscs.add(new Qdisc(dev, TcHandle.qdisc(0x30), SHAPED, QdiscFifo.packets(100)));
            tc.qdiscs.add(new Qdisc(dev, TcHandle.qdisc(2), UNSHAPED, QdiscFifo.bytes(300_000)));
            for (Filter f : filters) {
                tc.filters.add(f);
            }
            return null;
        });
    }

    /** tc's view of each class, by class id: [parent, leaf, prio, quantum, buffer, cbuffer]. */
    private Map<String, String[]> tcClasses() {
        Map<String, String[]> out = new HashMap<>();
        for (String line : lab.tc("-raw", "-d", "class", "show", "dev", lab.dev).split("\n")) {
            Matcher m = CLASS.matcher(line.trim());
            if (m.matches()) {
                out.put(m.group(1), new String[] {m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7)});
            }
        }
        return out;
    }

    @Test
    void treeReadsBackAsBuilt() throws Exception {
        build();
        List<TcClass> read = lab.inside(tc -> tc.classes.list(dev));
        assertEquals(3, read.size(), read.toString());
        Map<String, String[]> tc = tcClasses();
        assertEquals(3, tc.size(), tc.toString());
        for (TcClass wanted : classes()) {
            TcClass got = only(read, wanted.classId());
            assertEquals(List.of(), wanted.differences(got, clock), wanted.toString());
            String[] t = tc.get(wanted.classId().toString());
            assertEquals(Long.parseLong(t[4], 16), got.get(QdiscHtbClass.BUFFER), "buffer of " + wanted.classId());
            assertEquals(Long.parseLong(t[5], 16), got.get(QdiscHtbClass.CBUFFER), "cbuffer of " + wanted.classId());
        }
        String[] shaped = tc.get("1:30");
        assertEquals("1:1", shaped[0]);
        assertEquals("30:", shaped[1]);
        assertEquals(TcHandle.qdisc(0x30), only(read, SHAPED).leaf());
        assertEquals("1", shaped[2]);
        assertEquals("1514", shaped[3]);
        assertEquals(12_500_000_000L, only(read, UNSHAPED).get(QdiscHtbClass.RATE), "RATE64 read back");
        // 15360 B at 100 Mbit/s is 19200 ticks (tc 6.1 would have sent 19187).
        assertEquals(19_200L, only(read, TcHandle.of(1, 1)).get(QdiscHtbClass.BUFFER));

        List<Qdisc> qdiscs = lab.inside(c -> c.qdiscs.list(dev));
        assertEquals(List.of("htb", "bfifo", "pfifo"), List.of(qdiscs.get(0).kind(), qdiscs.get(1).kind(), qdiscs.get(2).kind()));
        assertEquals(0x30L, qdiscs.get(0).get(QdiscHtb.DEFAULT_CLASS));
        assertEquals(List.of(), Qdisc.root(dev, 1, QdiscHtb.options(0x30)).differences(qdiscs.get(0), clock));

        List<Filter> rules = lab.inside(c -> c.filters.list(dev, ROOT));
        List<Filter> wanted = exemptions();
        assertEquals(2, rules.size(), rules.toString());
        for (int i = 0; i < 2; i++) {
            assertEquals(List.of(), wanted.get(i).differences(rules.get(i), clock), rules.get(i).toString());
        }
        String tcRules = lab.tc("filter", "show", "dev", lab.dev);
        assertTrue(tcRules.contains("match 0a2c0000/ffff0000 at 16"), tcRules);
        assertTrue(tcRules.contains("match 20010db8/ffffffff at 24") && tcRules.contains("match 00070000/ffff0000 at 28"), tcRules);
    }

    @Test
    void replaceChangesAClass() throws Exception {
        build();
        TcClass slower = new TcClass(dev, SHAPED, TcHandle.of(1, 1), QdiscHtbClass.options(625_000, 625_000, 20_000, 3000));
        TcClass got = lab.inside(tc -> {
            tc.classes.replace(slower);
            return only(tc.classes.list(dev), SHAPED);
        });
        assertEquals(List.of(), slower.differences(got, clock));
        assertEquals(Long.toHexString(clock.xmitTicks(625_000, 20_000)), tcClasses().get("1:30")[4].replaceFirst("^0+", ""));
        assertEquals("0", tcClasses().get("1:30")[2], "replace sends every field: prio back to 0");
    }

    @Test
    void aClassFiltersPointAtIsBusy() throws Exception {
        build();
        BusyException busy = assertThrows(BusyException.class, () -> lab.inside(tc -> {
            tc.classes.delete(dev, UNSHAPED);
            return null;
        }));
        assertTrue(busy.getMessage().startsWith("RTM_DELTCLASS 1:2 on " + lab.dev), busy.getMessage());
        lab.inside(tc -> {
            for (Filter f : tc.filters.list(dev, ROOT)) {
                tc.filters.delete(f);
            }
            tc.classes.delete(dev, UNSHAPED);
            return null;
        });
        assertEquals(2, lab.inside(tc -> tc.classes.list(dev)).size());
        assertTrue(!tcClasses().containsKey("1:2"));
        assertThrows(NotFoundException.class, () -> lab.inside(tc -> {
            tc.classes.delete(dev, UNSHAPED);
            return null;
        }));
    }

    private static TcClass only(List<TcClass> classes, TcHandle id) {
        for (TcClass c : classes) {
            if (c.classId().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no class " + id + " in " + classes);
    }
}
