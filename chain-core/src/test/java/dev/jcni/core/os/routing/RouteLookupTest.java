package dev.jcni.core.os.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.netlink.NetlinkConstants;
import dev.jcni.core.os.netlink.NetlinkMessage;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class RouteLookupTest {
    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    static byte[] bytes(String s) {
        String h = s.replaceAll("\\s+", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @Test
    void requestIsAHostRouteQuery() throws Exception {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        byte[] wire = RouteLookup.request(IpAddress.parse("10.88.0.9")).build(4, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK);
        assertEquals("24000000" + "1a00" + "0500" + "04000000" + "00000000"   // 36 bytes, RTM_GETROUTE, REQUEST|ACK, seq 4
                + "02" + "20" + "00" + "00" + "00000000" + "00000000"          // rtmsg: AF_INET, /32, ..., flags 0
                + "0800" + "0100" + "0a580009", hex(wire));                   // RTA_DST 10.88.0.9
        byte[] v6 = RouteLookup.request(IpAddress.parse("2001:db8::9")).build(1, 0);
        assertEquals("0a80", hex(v6).substring(32, 36), "AF_INET6, /128");
    }

    @Test
    void readsTheOutputInterfaceOfTheAnswer() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        byte[] payload = bytes("02 20 00 00 fe 02 fd 02 00020000"   // rtmsg (table main, kernel, host scope, local)
                + "0800 0f00 fe000000"                                // RTA_TABLE
                + "0800 0100 0a580009"                                // RTA_DST
                + "0800 0400 07000000");                              // RTA_OIF 7
        assertEquals(7, RouteLookup.outputIndex(new NetlinkMessage(24, 0, 1, 0, payload)));
        assertEquals(0, RouteLookup.outputIndex(new NetlinkMessage(25, 0, 1, 0, payload)), "not RTM_NEWROUTE");
        assertEquals(0, RouteLookup.outputIndex(new NetlinkMessage(24, 0, 1, 0, bytes("02 20 00 00 fe 02 fd 02 00020000"))));
    }

    @Test
    void theLoopbackAddressLeavesByLo() throws Exception {
        // Every network namespace routes 127.0.0.1 by lo (ip route get 127.0.0.1: "local 127.0.0.1 dev lo").
        assertEquals("lo", RouteLookup.outputInterface(dev.jcni.core.net.IpAddress.parse("127.0.0.1")));
    }
}
