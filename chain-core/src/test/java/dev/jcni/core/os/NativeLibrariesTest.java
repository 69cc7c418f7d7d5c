package dev.jcni.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.PluginMain;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which verbs load the native layer, seen in a real plugin process's class-loading log. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeLibrariesTest {
    @TempDir
    Path tmp;

    /** A plugin process: PluginMain with a plugin that serves VERSION only. */
    public static final class Probe {
        public static void main(String[] args) {
            PluginMain.run("probe", new CniPlugin() {
                @Override
                public String about() {
                    return "probe";
                }

                @Override
                public List<String> supportedVersions() {
                    return List.of("1.0.0");
                }

                @Override
                public Result add(Invocation inv) throws CniException {
                    throw new CniException(CniException.PLUGIN_FAILURE, "probe does not add");
                }

                @Override
                public void check(Invocation inv) {}

                @Override
                public void del(Invocation inv) {}

                @Override
                public void gc(Invocation inv) {}

                @Override
                public void status(Invocation inv) {}
            });
        }
    }

    @Test
    void versionNeverLoadsTheNativeLayer() throws Exception {
        List<String> classes = classesLoadedBy("VERSION");
        assertTrue(classes.contains("dev.jcni.core.skel.PluginMain"), "the log must show our classes: " + classes);
        for (String c : classes) {
            assertFalse(c.startsWith("com.kenai.jffi"), "VERSION loaded jffi: " + c);
            boolean kernelLayer = c.startsWith("dev.jcni.core.os.") && !c.startsWith(NativeLibrariesTest.class.getName());
            assertFalse(kernelLayer, "VERSION loaded the kernel layer: " + c);
        }
    }

    @Test
    void addStartsThePreload() throws Exception {
        assertTrue(classesLoadedBy("ADD").contains(NativeLibraries.class.getName()));
    }

    /** The names of the classes a probe process loads for {@code command}, from -Xlog:class+load. */
    private List<String> classesLoadedBy(String command) throws IOException, InterruptedException {
        Path log = tmp.resolve(command + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xlog:class+load=info:file=" + log,
                Probe.class.getName());
        pb.environment().keySet().removeIf(k -> k.startsWith("CNI_") || k.startsWith("JAVA_TOOL") || k.startsWith("JDK_JAVA"));
        pb.environment().put("CNI_COMMAND", command);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe did not finish");
        if ("VERSION".equals(command)) {
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("\"supportedVersions\""), out);
        }
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // "[0.012s][info][class,load] java.lang.Object source: shared objects file"
            String[] fields = line.split(" ");
            if (fields.length > 1) {
                classes.add(fields[1]);
            }
        }
        return classes;
    }
}
