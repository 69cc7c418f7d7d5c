package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcni.core.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cni-protocol.md §4.2 and §5.4.2: what each plugin receives on stdin. */
class RequestBuilderTest {
    private static NetworkConfigList list(String json) throws Exception {
        return ConfigLoader.fromBytes(json.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static final String LIST = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":["
            + "{\"type\":\"bridge\",\"name\":\"ignored\",\"cniVersion\":\"0.1.0\",\"zz\":{\"nested\":[1,2,{\"k\":null}]},\"aa\":1e3},"
            + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true,\"bandwidth\":false,\"dns\":true},\"snat\":true},"
            + "{\"type\":\"static\",\"runtimeConfig\":{\"static\":1}}]}";

    private static RuntimeConf rtWithCaps() throws Exception {
        ObjectNode caps = (ObjectNode) Json.parse("{\"portMappings\":[{\"HostPort\":8080,\"ContainerPort\":80}],"
                + "\"bandwidth\":{\"ingressRate\":1},\"ips\":[\"10.0.0.2/24\"]}");
        return new RuntimeConf("c", "/n", "eth0", List.of(), caps);
    }

    @Test
    void nameAndVersionAreOverwrittenAndUnknownFieldsKept() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode req = RequestBuilder.attachment(l, l.plugins().get(0), null, rtWithCaps());
        assertEquals("net", req.get("name").textValue());
        assertEquals("1.0.0", req.get("cniVersion").textValue());
        assertEquals(Json.parse("{\"nested\":[1,2,{\"k\":null}]}"), req.get("zz"));
        assertEquals(1000.0, req.get("aa").doubleValue());
        assertFalse(req.has("prevResult"), "no prevResult for the first ADD");
        assertFalse(req.has("runtimeConfig"), "no runtimeConfig when nothing is declared");
        // The file's tree is never modified.
        assertEquals("ignored", l.plugins().get(0).tree().get("name").textValue());
    }

    @Test
    void runtimeConfigHoldsExactlyDeclaredAndSuppliedCapabilities() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode req = RequestBuilder.attachment(l, l.plugins().get(1), null, rtWithCaps());
        JsonNode rc = req.get("runtimeConfig");
        assertEquals(1, rc.size(), rc.toString());
        // Passed as the caller wrote it, capitalised keys included (containerd sends HostPort).
        assertEquals(8080, rc.get("portMappings").get(0).get("HostPort").intValue());
        assertTrue(req.has("capabilities"), "capabilities is left in, as libcni does");
        assertTrue(req.get("snat").booleanValue());
    }

    @Test
    void staticRuntimeConfigPassesWhenNothingIsInjectedAndIsReplacedOtherwise() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode req = RequestBuilder.attachment(l, l.plugins().get(2), null, rtWithCaps());
        assertEquals(Json.parse("{\"static\":1}"), req.get("runtimeConfig"));
        NetworkConfigList l2 = list("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"a\","
                + "\"capabilities\":{\"ips\":true},\"runtimeConfig\":{\"static\":1}}]}");
        ObjectNode req2 = RequestBuilder.attachment(l2, l2.plugins().get(0), null, rtWithCaps());
        assertEquals(Json.parse("{\"ips\":[\"10.0.0.2/24\"]}"), req2.get("runtimeConfig"));
    }

    @Test
    void noCapabilityArgsMeansNoRuntimeConfig() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode req = RequestBuilder.attachment(l, l.plugins().get(1), null, RuntimeConf.of("c", "/n", "eth0"));
        assertFalse(req.has("runtimeConfig"));
    }

    @Test
    void prevResultIsInjected() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode prev = (ObjectNode) Json.parse("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"x\"}]}");
        assertEquals(prev, RequestBuilder.attachment(l, l.plugins().get(1), prev, rtWithCaps()).get("prevResult"));
    }

    @Test
    void gcCarriesBothAttachmentKeysOnlyWhenAListIsGiven() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode withList = RequestBuilder.gc(l, l.plugins().get(1), List.of(new GcAttachment("c1", "eth0")));
        JsonNode expected = Json.parse("[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]");
        assertEquals(expected, withList.get("cni.dev/valid-attachments"));
        assertEquals(expected, withList.get("cni.dev/attachments"));
        assertFalse(withList.has("runtimeConfig"));
        assertFalse(withList.has("prevResult"));
        ObjectNode empty = RequestBuilder.gc(l, l.plugins().get(1), List.of());
        assertEquals(0, empty.get("cni.dev/valid-attachments").size());
        ObjectNode none = RequestBuilder.gc(l, l.plugins().get(1), null);
        assertFalse(none.has("cni.dev/valid-attachments"));
        assertFalse(none.has("cni.dev/attachments"));
    }

    @Test
    void statusCarriesOnlyNameAndVersion() throws Exception {
        NetworkConfigList l = list(LIST);
        ObjectNode st = RequestBuilder.status(l, l.plugins().get(1));
        assertEquals("net", st.get("name").textValue());
        assertFalse(st.has("runtimeConfig"));
    }
}
