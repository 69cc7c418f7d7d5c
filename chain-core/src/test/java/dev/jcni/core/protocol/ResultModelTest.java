package dev.jcni.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The result model's own operations, which plugins use to answer with what they changed. */
class ResultModelTest {
    private static Result.Interface itf(String name, String sandbox) {
        return new Result.Interface(name, null, null, sandbox, null, null);
    }

    private static final Result TWO = new Result("1.0.0",
            List.of(itf("eth0", null), itf("eth0", "/run/netns/a"), itf("lo", "/run/netns/a")), List.of(), List.of(), null);

    @Test
    void theSandboxInterfaceIsTheOneNamedInASandbox() {
        assertEquals(1, TWO.sandboxInterfaceIndex("eth0"), "the host-side eth0 has no sandbox");
        assertEquals(2, TWO.sandboxInterfaceIndex("lo"));
        assertEquals(-1, TWO.sandboxInterfaceIndex("eth1"));
        Result emptySandbox = new Result("1.0.0", List.of(itf("eth0", "")), List.of(), List.of(), null);
        assertEquals(-1, emptySandbox.sandboxInterfaceIndex("eth0"), "an empty sandbox is none");
    }

    @Test
    void replacingAndAddingInterfacesLeaveTheRestAlone() {
        Result replaced = TWO.withInterface(1, TWO.interfaces().get(1).withMac("c2:00:00:00:00:01"));
        assertEquals("c2:00:00:00:00:01", replaced.interfaces().get(1).mac());
        assertEquals("/run/netns/a", replaced.interfaces().get(1).sandbox());
        assertNull(TWO.interfaces().get(1).mac(), "the original is unchanged");
        assertEquals(TWO.interfaces().get(0), replaced.interfaces().get(0));
        assertEquals(3, replaced.interfaces().size());
        assertEquals("1.0.0", replaced.cniVersion());

        Result added = TWO.withAddedInterface(itf("ifb0", null));
        assertEquals(4, added.interfaces().size());
        assertEquals("ifb0", added.interfaces().get(3).name());
        assertEquals(TWO.interfaces(), added.interfaces().subList(0, 3));
        assertEquals(3, TWO.interfaces().size());
    }

    @Test
    void dnsIsEmptyOnlyWhenEveryPartIs() {
        assertTrue(new Result.Dns(null, null, null, null).isEmpty());
        assertTrue(new Result.Dns(List.of(), "", List.of(), List.of()).isEmpty());
        assertFalse(new Result.Dns(List.of("10.0.0.1"), null, null, null).isEmpty());
        assertFalse(new Result.Dns(null, "example.org", null, null).isEmpty());
        assertFalse(new Result.Dns(null, null, List.of("a.example"), null).isEmpty());
        assertFalse(new Result.Dns(null, null, null, List.of("ndots:5")).isEmpty());
    }

    @Test
    void theErrorFactoriesCarryTheirCodes() {
        CniException config = CniException.invalidConfig("bad mtu");
        assertEquals(CniException.INVALID_CONFIG, config.code());
        assertEquals("bad mtu", config.msg());
        CniException field = CniException.unsupportedField("mtu", 70000, "above the maximum");
        assertEquals(CniException.UNSUPPORTED_FIELD, field.code());
        assertEquals("unsupported value 70000 for field \"mtu\": above the maximum", field.msg());
        IllegalStateException cause = new IllegalStateException("netlink said no");
        CniException failure = CniException.pluginFailure("cannot set mtu", cause);
        assertEquals(CniException.PLUGIN_FAILURE, failure.code());
        assertEquals("netlink said no", failure.details());
        assertSame(cause, failure.getCause());
        assertEquals("", CniException.pluginFailure("no cause", null).details());
    }
}
