package dev.jcni.it.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.it.support.PluginRunner;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, point 6: paths are bytes, not locale text. Runtimes exec plugins with a minimal
 * environment; without a UTF-8 locale the JVM could not name a non-ASCII CNI_NETNS or data
 * directory (code 999, InvalidPathException). The launcher starts the JVM in C.UTF-8 whatever
 * the caller's locale, and a path that still cannot be a file name is the caller's error (4 for
 * the environment, 7 for the config), never 999.
 */
@RequiresRoot
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherLocaleTest {
    /** "sandbox-é" and "data-ü": two-byte UTF-8 sequences. */
    private static final String NS_NAME = "sandbox-\u00e9";
    private static final String DATA_NAME = "data-\u00fc";

    @TempDir
    Path tmp;

    private Map<String, String> env(String command, String netnsWord, String callerLocale) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "locale-1");
        env.put("CNI_NETNS", netnsWord);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", Shell.quote(PluginRunner.OUR_BIN.toString()));
        env.put("JCNI_STATE_ROOTS", Shell.quote(PluginRunner.TEST_STATE_ROOTS));
        if (callerLocale != null) {
            env.put("LC_ALL", callerLocale);
        }
        return env;
    }

    /** A config whose dataDir is {@code dataDirJson} (JSON string content, ASCII with \\u escapes). */
    private Path conf(String dataDirJson, int mtu) throws Exception {
        String json = "{\"cniVersion\":\"1.0.0\",\"name\":\"locale\",\"type\":\"tuning\",\"dataDir\":\"" + dataDirJson + "\","
                + "\"mtu\":" + mtu + ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"/x\"}]}}";
        return Files.writeString(tmp.resolve("conf-" + System.nanoTime() + ".json"), json, StandardCharsets.US_ASCII);
    }

    @Test
    void nonAsciiNamespaceAndDataDirWorkWithAnEmptyEnvironment() throws Exception {
        for (String callerLocale : new String[] {null, "C", "POSIX"}) {
            try (TestNetns ns = TestNetns.create()) {
                ns.addVeth("jtl" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
                String nsPath = tmp.resolve(NS_NAME) + "-" + ns.name();
                String dataDir = tmp.resolve(DATA_NAME) + "-" + ns.name();
                String nsWord = Shell.bytes(nsPath);
                // The namespace's bind mount at a non-ASCII path, made and removed by the shell
                // (this JVM's own locale may not be able to name it).
                Shell.run("touch " + nsWord + " && mount --bind " + Shell.quote(ns.path()) + " " + nsWord).assertOk();
                try {
                    String dataJson = dataDir.replace("\u00fc", "\\u00fc");
                    Shell.run(Shell.plugin("tuning", env("ADD", nsWord, callerLocale)) + " <" + Shell.quote(conf(dataJson, 1400).toString()))
                            .assertOk();
                    assertEquals(1400, ns.link("eth0").path("mtu").asInt(), "ADD changed the MTU, caller locale " + callerLocale);
                    Shell.run("test -f " + Shell.bytes(dataDir + "/locale-1_eth0.json")).assertOk();

                    Shell.run(Shell.plugin("tuning", env("DEL", nsWord, callerLocale)) + " <" + Shell.quote(conf(dataJson, 1400).toString()))
                            .assertOk();
                    assertEquals(1500, ns.link("eth0").path("mtu").asInt(), "DEL restored the MTU");
                    Shell.run("test ! -e " + Shell.bytes(dataDir + "/locale-1_eth0.json")).assertOk();
                } finally {
                    Shell.run("umount " + nsWord + "; rm -rf " + nsWord + " " + Shell.bytes(dataDir));
                }
            }
        }
    }

    @Test
    void aNamespacePathThatIsNotUtf8IsCode4() throws Exception {
        // "/run/netns/\351": Latin-1 bytes, not UTF-8.
        String word = Shell.bytes(new byte[] {'/', 'r', 'u', 'n', '/', 'n', 'e', 't', 'n', 's', '/', (byte) 0xE9});
        for (String command : new String[] {"ADD", "CHECK"}) {
            Shell.Run r = Shell.run(Shell.plugin("tuning", env(command, word, null)) + " <" + Shell.quote(conf("/run/cni/tuning", 1400).toString()));
            JsonNode e = r.error();
            assertEquals(4, e.path("code").asInt(), r.stdout());
            assertTrue(e.path("msg").asText().contains("CNI_NETNS"), r.stdout());
        }
    }

    @Test
    void aConfigPathThatCannotBeAFileNameIsCode7() throws Exception {
        try (TestNetns ns = TestNetns.create()) {
            ns.addVeth("jtl" + ns.name().substring(TestNetns.PREFIX.length()), "eth0");
            // A lone surrogate: valid JSON, no file name in any encoding.
            Shell.Run r = Shell.run(Shell.plugin("tuning", env("ADD", Shell.quote(ns.path()), null))
                    + " <" + Shell.quote(conf(tmp + "/bad-\\ud800", 1400).toString()));
            assertEquals(7, r.error().path("code").asInt(), r.stdout());
            assertEquals(1500, ns.link("eth0").path("mtu").asInt(), "nothing changed");
        }
    }
}
