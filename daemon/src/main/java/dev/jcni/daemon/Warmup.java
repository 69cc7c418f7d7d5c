package dev.jcni.daemon;

import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.ProtocolException;
import dev.jcni.core.daemon.Reply;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A few synthetic requests per plugin before the socket is served, so the first real request
 * does not pay for class loading and the interpreter (measured in
 * reference/jvm-thin-client.md: 67 ms for a cold daemon's first request, 4 ms by the third).
 * They change nothing: VERSION, and an ADD whose config has no name (refused with code 7 before
 * any namespace, lock or state is touched).
 */
final class Warmup {
    private static final int ROUNDS = 3;

    private Warmup() {}

    static void run(PluginRegistry plugins) {
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        for (int round = 0; round < ROUNDS; round++) {
            for (String type : plugins.types()) {
                try (Log.Capture capture = Log.capture(discard)) {
                    CniPlugin plugin = plugins.newInstance(type);
                    PluginMain.handle(type, plugin, Map.of("CNI_COMMAND", "VERSION"), stdin("{\"cniVersion\":\"1.0.0\"}"));
                    Map<String, String> add = new HashMap<>();
                    add.put("CNI_COMMAND", "ADD");
                    add.put("CNI_CONTAINERID", "jcnid-warmup");
                    add.put("CNI_NETNS", "/nonexistent/jcnid-warmup");
                    add.put("CNI_IFNAME", "eth0");
                    add.put("CNI_PATH", "/nonexistent");
                    PluginMain.handle(type, plugins.newInstance(type), add, stdin("{\"cniVersion\":\"1.1.0\",\"type\":\"" + type + "\"}"));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a plugin that cannot even warm up fails its real requests the same way, visibly
                }
            }
            codec();
        }
    }

    private static void codec() {
        Hello hello = new Hello(Wire.KIND_PLUGIN, "0000000000000000", "warmup", List.of("warmup"), List.of("A=1"), 0, 0);
        try {
            Hello.decode(hello.encode());
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
        Reply.encodeAccepted();
        Reply.encodeResult(0, 1, 1);
        Reply.encodeData(new byte[1], 0, 1);
    }

    private static ByteArrayInputStream stdin(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
