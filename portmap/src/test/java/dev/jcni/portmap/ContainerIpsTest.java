package dev.jcni.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which addresses of the previous result a mapping forwards to, by the reference's rule
 * (portmap's getIPs): an address without an interface index, or with one out of range, is
 * taken; one whose index names another interface, or one outside a sandbox, is not.
 */
class ContainerIpsTest {
    /** interfaces: 0 the host's br0, 1 eth0 in a sandbox, 2 eth1 in a sandbox. */
    private static Result prev(String interfaceMember) throws Exception {
        String json = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\"},{\"name\":\"eth0\",\"sandbox\":\"/run/netns/x\"},"
                + "{\"name\":\"eth1\",\"sandbox\":\"/run/netns/x\"}],\"ips\":[{\"address\":\"10.88.0.9/16\"" + interfaceMember + "},"
                + "{\"address\":\"10.99.0.9/16\",\"interface\":1},{\"address\":\"fd00::9/64\",\"interface\":1}]}";
        return ResultCodec.parse(Json.parse(json.getBytes(StandardCharsets.UTF_8)), "1.0.0");
    }

    @ParameterizedTest(name = "first address {0}: v4 {1}")
    @CsvSource({
        "'',                 10.88.0.9/16",   // no index (an IPAM result): taken
        "',\"interface\":-1', 10.88.0.9/16",   // out of range below
        "',\"interface\":3',  10.88.0.9/16",   // out of range above: index == number of interfaces
        "',\"interface\":1',  10.88.0.9/16",   // eth0 in the sandbox
        "',\"interface\":0',  10.99.0.9/16",   // br0: a host interface, skipped
        "',\"interface\":2',  10.99.0.9/16",   // eth1: another interface of the sandbox, skipped
    })
    void theFirstAddressOfEachFamilyThatBelongsToTheInterface(String member, String v4) throws Exception {
        ContainerIps ips = ContainerIps.from(prev(member), "eth0");
        assertEquals(IpPrefix.parse(v4), ips.of(IpAddress.Family.IPV4));
        assertEquals(IpPrefix.parse("fd00::9/64"), ips.of(IpAddress.Family.IPV6));
    }

    @org.junit.jupiter.api.Test
    void anInterfaceOfThatNameOutsideASandboxIsNotTheContainers() throws Exception {
        String json = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\"},{\"name\":\"eth0\",\"sandbox\":\"\"}],"
                + "\"ips\":[{\"address\":\"10.88.0.9/16\",\"interface\":0},{\"address\":\"fd00::9/64\",\"interface\":1}]}";
        ContainerIps ips = ContainerIps.from(ResultCodec.parse(Json.parse(json.getBytes(StandardCharsets.UTF_8)), "1.0.0"), "eth0");
        assertNull(ips.of(IpAddress.Family.IPV4), "no sandbox");
        assertNull(ips.of(IpAddress.Family.IPV6), "an empty sandbox");
    }
}
