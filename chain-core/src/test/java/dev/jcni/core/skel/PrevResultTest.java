package dev.jcni.core.skel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrevResultTest {
    private static Invocation invocation(String json, String version) throws Exception {
        Json.Document d = Json.parseDocument(json.getBytes(StandardCharsets.UTF_8));
        return new Invocation(Command.ADD, "c", "/run/netns/x", "eth0", null, List.of(),
                JsonFields.of(d.object(), JsonFields.Source.NETWORK_CONFIG), version, "n");
    }

    @Test
    void aMissingPrevResultIsTheReferencesError() throws Exception {
        CniException e = assertThrows(CniException.class, () -> PrevResult.require(invocation("{\"name\":\"n\"}", "1.0.0"), "portmap"));
        assertEquals(CniException.INVALID_CONFIG, e.code());
        assertEquals("Required prevResult missing", e.msg());
        assertTrue(e.details().startsWith("portmap is a chained plugin"), e.details());
    }

    @Test
    void thePrevResultIsParsedByItsOwnVersion() throws Exception {
        Result r = PrevResult.require(invocation("{\"prevResult\":{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\","
                + "\"address\":\"10.0.0.2/24\"}]}}", "1.0.0"), "tuning");
        assertEquals("0.3.1", r.cniVersion());
        assertEquals("10.0.0.2/24", r.ips().get(0).address().toString());
        CniException bad = assertThrows(CniException.class, () -> PrevResult.require(
                invocation("{\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"nope\"}]}}", "1.0.0"), "tuning"));
        assertEquals(CniException.DECODING_FAILURE, bad.code());
    }

    @Test
    void aResultThatCannotBePrintedInTheRequestsVersionFailsUpFront() throws Exception {
        Result noAddress = PrevResult.require(invocation("{\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\"}]}}",
                "1.0.0"), "tuning");
        PrevResult.requirePrintable(noAddress, "1.0.0");
        for (String old : new String[] {"0.1.0", "0.2.0", ""}) {
            CniException e = assertThrows(CniException.class, () -> PrevResult.requirePrintable(noAddress, old), old);
            assertEquals(CniException.INCOMPATIBLE_VERSION, e.code());
            assertTrue(e.details().startsWith("the result cannot be returned in cniVersion \"" + old + "\", so nothing was changed"),
                    e.details());
        }
        CniException noAddress020 = assertThrows(CniException.class, () -> PrevResult.requirePrintable(noAddress, "0.2.0"));
        assertEquals("cannot convert: no valid IP addresses", noAddress020.msg());
        assertEquals("the result cannot be returned in cniVersion \"0.2.0\", so nothing was changed", noAddress020.details(),
                "the codec's error had no details to add");
    }
}
