package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.netlink.Qdisc;
import dev.jcni.core.os.netlink.QdiscFifo;
import dev.jcni.core.os.netlink.QdiscHtb;
import dev.jcni.core.os.netlink.QdiscIngress;
import dev.jcni.core.os.netlink.QdiscTbf;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.core.os.netlink.TcOptions;
import dev.jcni.it.support.RequiresRoot;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Qdiscs against the real kernel, read back by us and by {@code tc -j -raw qdisc show}. */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QdiscsKernelTest {
    private static final long RATE = 1_250_000;
    private static final long BURST = 125_000;

    private TcLab lab;
    private int dev;

    @BeforeEach
    void setUp() {
        lab = new TcLab();
        dev = lab.index(lab.dev);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private JsonNode tcRoot() {
        return TcLab.only(lab.tcJson("-raw", "qdisc", "show", "dev", lab.dev), "root", "true");
    }

    private Qdisc tbf(long rate, long burst, long latencyMicros) {
        return Qdisc.root(dev, 1, QdiscTbf.options(rate, burst, QdiscTbf.limitForLatency(rate, burst, latencyMicros)));
    }

    @Test
    void tbfReadsBackAsTcShowsIt() throws Exception {
        Qdisc wanted = tbf(RATE, BURST, 25_000);
        Qdisc actual = lab.inside(tc -> {
            tc.qdiscs.add(wanted);
            return tc.qdiscs.get(dev, TcHandle.ROOT);
        });
        JsonNode tc = tcRoot();
        assertEquals("tbf", tc.get("kind").asText());
        assertEquals("1:", tc.get("handle").asText());
        JsonNode o = tc.get("options");
        assertEquals(o.get("rate").asLong(), actual.get(QdiscTbf.RATE));
        assertEquals(Long.parseLong(o.get("burst_raw").asText(), 16), actual.get(QdiscTbf.BUFFER));
        assertEquals(o.get("limit").asLong(), actual.get(QdiscTbf.LIMIT));
        assertEquals(156_250L, actual.get(QdiscTbf.LIMIT));
        assertEquals(25_000L, o.get("lat").asLong());
        assertEquals(25_000.0, QdiscTbf.latencyMicros(actual.get(QdiscTbf.RATE), actual.get(QdiscTbf.LIMIT),
                actual.get(QdiscTbf.BUFFER), lab.inside(c -> c.clock)), 1e-6);
        assertEquals(BURST, actual.get(QdiscTbf.BURST));
        assertEquals(List.of(), wanted.differences(actual, lab.inside(c -> c.clock)));
        assertEquals(List.of(actual), lab.inside(c -> c.qdiscs.list(dev)), "only the tbf: a veth has no ingress by itself");
    }

    @Test
    void aFreshVethHasTheDefaultNoqueue() throws Exception {
        Qdisc root = lab.inside(tc -> tc.qdiscs.get(dev, TcHandle.ROOT));
        assertEquals(tcRoot().get("kind").asText(), root.kind());
        assertEquals("noqueue", root.kind());
        assertEquals(TcHandle.UNSPEC, root.handle());
    }

    @Test
    void replaceChangesParametersInPlace() throws Exception {
        lab.inside(tc -> {
            tc.qdiscs.replace(tbf(RATE, BURST, 25_000));
            tc.qdiscs.replace(tbf(2 * RATE, 2 * BURST, 10_000));
            return null;
        });
        JsonNode o = tcRoot().get("options");
        assertEquals(2 * RATE, o.get("rate").asLong());
        assertEquals(QdiscTbf.limitForLatency(2 * RATE, 2 * BURST, 10_000), o.get("limit").asLong());
        assertEquals("1:", tcRoot().get("handle").asText());
        Qdisc smaller = tbf(RATE / 2, BURST / 2, 50_000);
        Qdisc actual = lab.inside(tc -> {
            tc.qdiscs.change(smaller);
            return tc.qdiscs.get(dev, TcHandle.ROOT);
        });
        assertEquals(List.of(), smaller.differences(actual, lab.inside(c -> c.clock)));
        assertEquals(RATE / 2, tcRoot().get("options").get("rate").asLong());
    }

    @Test
    void addChangeAndDeleteFailTyped() throws Exception {
        NotFoundException notThere = assertThrows(NotFoundException.class,
                () -> lab.inside(tc -> {
                    tc.qdiscs.change(tbf(RATE, BURST, 25_000));
                    return null;
                }));
        assertTrue(notThere.getMessage().startsWith("RTM_NEWQDISC change tbf 1: root on " + lab.dev + ": "),
                notThere.getMessage());
        lab.inside(tc -> {
            tc.qdiscs.add(tbf(RATE, BURST, 25_000));
            return null;
        });
        ExistsException twice = assertThrows(ExistsException.class, () -> lab.inside(tc -> {
            tc.qdiscs.add(tbf(RATE, BURST, 25_000));
            return null;
        }));
        assertEquals(Errno.EEXIST, twice.errno());
        lab.inside(tc -> {
            tc.qdiscs.delete(tbf(RATE, BURST, 25_000));
            return null;
        });
        assertEquals("noqueue", tcRoot().get("kind").asText());
        NotFoundException gone = assertThrows(NotFoundException.class, () -> lab.inside(tc -> {
            tc.qdiscs.delete(dev, TcHandle.ROOT, TcHandle.UNSPEC);
            return null;
        }));
        assertTrue(gone.getMessage().contains("on " + lab.dev), gone.getMessage());
        assertThrows(NotFoundException.class, () -> lab.inside(tc -> tc.qdiscs.get(dev, TcHandle.INGRESS)));
        assertThrows(NotFoundException.class, () -> lab.inside(tc -> tc.qdiscs.get(9999, TcHandle.ROOT)));
    }

    @Test
    void anotherKindUnderTheSameHandleIsRefused() throws Exception {
        lab.inside(tc -> {
            tc.qdiscs.replace(tbf(RATE, BURST, 25_000));
            return null;
        });
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> lab.inside(tc -> {
            tc.qdiscs.replace(Qdisc.root(dev, 1, QdiscHtb.options(0x10)));
            return null;
        }));
        assertTrue(e.getMessage().contains("must match existing qdisc"), e.getMessage());
        assertEquals("tbf", tcRoot().get("kind").asText());
        // Under another handle, replace swaps the root.
        lab.inside(tc -> {
            tc.qdiscs.replace(Qdisc.root(dev, 2, QdiscHtb.options(0x10)));
            return null;
        });
        assertEquals("htb", tcRoot().get("kind").asText());
        assertEquals("2:", tcRoot().get("handle").asText());
    }

    @Test
    void randomTbfsHoldExactlyTheBucketAskedFor() throws Exception {
        // The kernel turns TCA_TBF_BURST into ticks itself; CHECK's comparison predicts them.
        Random random = new Random(20261130);
        for (int i = 0; i < 25; i++) {
            long rate = i % 5 == 4 ? (1L << 32) + random.nextInt(Integer.MAX_VALUE) : 1 + random.nextInt(200_000_000);
            long burst = 1 + random.nextInt(4_000_000);
            Qdisc wanted = Qdisc.root(dev, 1, QdiscTbf.options(rate, burst, burst + 1000)
                    .with(QdiscTbf.OVERHEAD, random.nextInt(40)).with(QdiscTbf.MPU, random.nextInt(100)));
            Qdisc actual = lab.inside(tc -> {
                tc.qdiscs.replace(wanted);
                return tc.qdiscs.get(dev, TcHandle.ROOT);
            });
            assertEquals(List.of(), wanted.differences(actual, lab.inside(c -> c.clock)), "rate " + rate + " burst " + burst);
            JsonNode o = tcRoot().get("options");
            assertEquals(o.get("rate").asLong(), rate);
            assertEquals(Long.parseLong(o.get("burst_raw").asText(), 16), actual.get(QdiscTbf.BUFFER));
        }
    }

    @Test
    void ingressAndClsact() throws Exception {
        Qdisc ingress = lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.ingress(dev));
            return tc.qdiscs.get(dev, TcHandle.INGRESS);
        });
        assertEquals(QdiscIngress.ingress(dev), ingress);
        JsonNode tc = TcLab.only(lab.tcJson("qdisc", "show", "dev", lab.dev), "kind", "ingress");
        assertEquals("ffff:", tc.get("handle").asText());
        assertEquals("ffff:fff1", tc.get("parent").asText());
        assertEquals(2, lab.inside(c -> c.qdiscs.list(dev)).size());
        Qdisc clsact = lab.inside(c -> {
            c.qdiscs.delete(dev, TcHandle.INGRESS, TcHandle.UNSPEC);
            c.qdiscs.add(QdiscIngress.clsact(dev));
            return c.qdiscs.get(dev, TcHandle.INGRESS);
        });
        assertEquals("clsact", clsact.kind());
        TcLab.only(lab.tcJson("qdisc", "show", "dev", lab.dev), "kind", "clsact");
        // A missing ingress qdisc: NotFound without a handle, "Invalid handle" with one.
        lab.inside(c -> {
            c.qdiscs.delete(dev, TcHandle.INGRESS, TcHandle.UNSPEC);
            return null;
        });
        assertThrows(NotFoundException.class, () -> lab.inside(c -> {
            c.qdiscs.delete(dev, TcHandle.INGRESS, TcHandle.UNSPEC);
            return null;
        }));
        assertThrows(InvalidArgumentException.class, () -> lab.inside(c -> {
            c.qdiscs.delete(QdiscIngress.ingress(dev));
            return null;
        }));
    }

    @Test
    void fifosWithAndWithoutLimit() throws Exception {
        int peer = lab.index(lab.peer);
        List<Qdisc> read = lab.inside(tc -> {
            tc.qdiscs.add(Qdisc.root(dev, 3, QdiscFifo.bytes(30_000)));
            tc.qdiscs.add(Qdisc.root(peer, 4, TcOptions.of(QdiscFifo.PFIFO)));
            return List.of(tc.qdiscs.get(dev, TcHandle.ROOT), tc.qdiscs.get(peer, TcHandle.ROOT));
        });
        assertEquals(30_000L, read.get(0).get(QdiscFifo.LIMIT));
        assertEquals(tcRoot().get("options").get("limit").asLong(), read.get(0).get(QdiscFifo.LIMIT));
        // Without a limit the kernel takes the device's txqueuelen (a veth's is 1000).
        assertEquals(1000L, read.get(1).get(QdiscFifo.LIMIT));
        assertEquals(lab.ns.link(lab.peer).get("txqlen").asLong(), read.get(1).get(QdiscFifo.LIMIT));
    }
}
