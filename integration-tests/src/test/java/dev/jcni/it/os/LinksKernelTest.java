package dev.jcni.it.os;

import static dev.jcni.it.support.TestNetns.hasFlag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Links against the real kernel: every read and setter is checked with {@code ip -j -n NS link show}. */
@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinksKernelTest {
    private TestNetns ns;
    private TestNetns.Veth veth;

    @BeforeEach
    void setUp() {
        ns = TestNetns.create();
        veth = ns.addVeth();
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    /** What a test does with the container's links, inside the namespace. */
    private interface LinksTask<T> {
        T run(Links links, int index) throws OsException;
    }

    private <T> T inside(LinksTask<T> task) throws Exception {
        String name = veth.containerName();
        return NetNs.run(ns.path(), () -> {
            try (RtNetlink nl = RtNetlink.open()) {
                Links links = new Links(nl);
                return task.run(links, links.byName(name).index());
            }
        });
    }

    private JsonNode kernel() {
        return ns.link(veth.containerName());
    }

    @Test
    void readsMatchIp() throws Exception {
        JsonNode ip = kernel();
        LinkInfo byName = inside((links, index) -> links.byName(veth.containerName()));
        assertEquals(ip.get("ifindex").asInt(), byName.index());
        assertEquals(veth.containerName(), byName.name());
        assertEquals(ip.get("mtu").asInt(), byName.get(LinkAttribute.MTU));
        assertEquals(ip.get("address").asText(), byName.get(LinkAttribute.MAC).toString());
        assertEquals(ip.get("txqlen").asInt(), byName.get(LinkAttribute.TX_QUEUE_LENGTH));
        assertEquals("veth", byName.kind());
        assertEquals(ip.get("linkinfo").get("info_kind").asText(), byName.kind());
        assertEquals(ip.get("link_index").asInt(), byName.get(LinkAttribute.LINK));
        assertEquals(TestNetns.hostLink(veth.hostName()).get("ifindex").asInt(), byName.get(LinkAttribute.LINK),
                "a veth's IFLA_LINK is its peer's index in the other namespace");
        assertNull(byName.get(LinkAttribute.MASTER), "no bridge, no IFLA_MASTER");
        assertEquals(hasFlag(ip, "UP"), byName.get(LinkAttribute.UP));

        assertEquals(byName, inside((links, index) -> links.byIndex(index)));
        List<LinkInfo> all = inside((links, index) -> links.list());
        assertEquals(2, all.size());
        assertEquals("lo", all.get(0).name());
        assertNull(all.get(0).kind());
        assertEquals(byName, all.get(1));
    }

    @Test
    void masterIndexIsTheBridge() throws Exception {
        ns.ip("link", "add", "jtbr0", "type", "bridge");
        ns.ip("link", "set", veth.containerName(), "master", "jtbr0");
        int bridge = ns.link("jtbr0").get("ifindex").asInt();
        LinkInfo l = inside((links, index) -> links.byIndex(index));
        assertEquals(bridge, l.get(LinkAttribute.MASTER));
        assertEquals("bridge", inside((links, index) -> links.byName("jtbr0")).kind());
    }

    @Test
    void setMtu() throws Exception {
        inside((links, index) -> {
            links.set(index, LinkAttribute.MTU, 1400);
            return null;
        });
        assertEquals(1400, kernel().get("mtu").asInt());
        assertEquals(1400, inside((links, index) -> links.byIndex(index)).get(LinkAttribute.MTU));
    }

    @Test
    void setMac() throws Exception {
        MacAddress mac = MacAddress.parse("02:42:AC:11:00:7f");
        inside((links, index) -> {
            links.set(index, LinkAttribute.MAC, mac);
            return null;
        });
        assertEquals("02:42:ac:11:00:7f", kernel().get("address").asText());
    }

    @Test
    void setPromiscOnAndOff() throws Exception {
        inside((links, index) -> {
            links.set(index, LinkAttribute.PROMISC, true);
            return null;
        });
        assertTrue(hasFlag(kernel(), "PROMISC"));
        assertTrue(inside((links, index) -> links.byIndex(index)).get(LinkAttribute.PROMISC));
        inside((links, index) -> {
            links.set(index, LinkAttribute.PROMISC, false);
            return null;
        });
        assertFalse(hasFlag(kernel(), "PROMISC"));
    }

    @Test
    void setAllMultiOnAndOff() throws Exception {
        inside((links, index) -> {
            links.set(index, LinkAttribute.ALLMULTI, true);
            return null;
        });
        assertTrue(hasFlag(kernel(), "ALLMULTI"));
        assertTrue(inside((links, index) -> links.byIndex(index)).get(LinkAttribute.ALLMULTI));
        inside((links, index) -> {
            links.set(index, LinkAttribute.ALLMULTI, false);
            return null;
        });
        assertFalse(hasFlag(kernel(), "ALLMULTI"));
    }

    @Test
    void setTxQueueLen() throws Exception {
        inside((links, index) -> {
            links.set(index, LinkAttribute.TX_QUEUE_LENGTH, 321);
            return null;
        });
        assertEquals(321, kernel().get("txqlen").asInt());
        assertEquals(321, inside((links, index) -> links.byIndex(index)).get(LinkAttribute.TX_QUEUE_LENGTH));
    }

    @Test
    void setUpAndDownLeavesOtherFlags() throws Exception {
        inside((links, index) -> {
            links.set(index, LinkAttribute.PROMISC, true);
            links.set(index, LinkAttribute.UP, true);
            return null;
        });
        JsonNode up = kernel();
        assertTrue(hasFlag(up, "UP"));
        assertTrue(hasFlag(up, "PROMISC"), "changing UP must not clear PROMISC");
        inside((links, index) -> {
            links.set(index, LinkAttribute.UP, false);
            return null;
        });
        JsonNode down = kernel();
        assertFalse(hasFlag(down, "UP"));
        assertTrue(hasFlag(down, "PROMISC"));
    }

    @Test
    void missingLinksAreNotFound() throws Exception {
        NotFoundException byName = assertThrows(NotFoundException.class,
                () -> inside((links, index) -> links.byName("jtnope0")));
        assertEquals(Errno.ENODEV, byName.errno());
        assertThrows(NotFoundException.class, () -> inside((links, index) -> links.byIndex(99999)));
        assertThrows(NotFoundException.class, () -> inside((links, index) -> {
            links.set(99999, LinkAttribute.MTU, 1400);
            return null;
        }));
    }

    @Test
    void rejectedMtuNamesTheLinkAndCarriesTheKernelText() throws Exception {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> inside((links, index) -> {
            links.set(index, LinkAttribute.MTU, 70000);
            return null;
        }));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("RTM_NEWLINK set mtu 70000 on " + veth.containerName() + ": Invalid argument (EINVAL)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("mtu"), "extended ACK text expected: " + e.getMessage());
        assertEquals(1500, kernel().get("mtu").asInt());
    }

    @Test
    void multicastMacIsRejectedByTheKernel() throws Exception {
        MacAddress multicast = MacAddress.parse("01:00:5e:00:00:01");
        OsException e = assertThrows(OsException.class, () -> inside((links, index) -> {
            links.set(index, LinkAttribute.MAC, multicast);
            return null;
        }));
        // eth_prepare_mac_addr_change: a multicast address is not a valid unicast MAC.
        assertEquals(Errno.EADDRNOTAVAIL, e.errno(), e.getMessage());
    }
}
