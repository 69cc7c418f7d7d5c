package dev.jcni.cnictl.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cni-protocol.md §5.4.1: config loading as libcni's conf.go does it. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    private static String list(String name, String extra) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\"" + extra + ",\"plugins\":[{\"type\":\"bridge\"}]}";
    }

    private static CniException loadError(byte[] bytes) {
        return assertThrows(CniException.class, () -> ConfigLoader.fromBytes(bytes, "test.conflist"));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void conflistsAreScannedInSortedOrderAndFirstMatchingNameWins() throws Exception {
        write("20-b.conflist", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"second\"}]}");
        write("10-a.conflist", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"first\"}]}");
        write("05-other.conflist", list("other", ""));
        NetworkConfigList l = ConfigLoader.load(dir, "net");
        assertEquals("first", l.plugins().get(0).type());
        assertTrue(l.source().endsWith("10-a.conflist"));
    }

    @Test
    void conflistIsPreferredOverSinglePluginConf() throws Exception {
        write("01-net.conf", "{\"cniVersion\":\"0.4.0\",\"name\":\"net\",\"type\":\"single\"}");
        write("99-net.conflist", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"fromlist\"}]}");
        assertEquals("fromlist", ConfigLoader.load(dir, "net").plugins().get(0).type());
    }

    @Test
    void singlePluginConfAndJsonAreUpConverted() throws Exception {
        write("10-x.json", "{\"cniVersion\":\"0.3.1\",\"name\":\"fromjson\",\"type\":\"ptp\",\"zeta\":1,\"alpha\":{\"b\":2,\"a\":1}}");
        write("20-y.conf", "{\"cniVersion\":\"0.4.0\",\"name\":\"fromconf\",\"type\":\"bridge\"}");
        NetworkConfigList j = ConfigLoader.load(dir, "fromjson");
        assertEquals("0.3.1", j.cniVersion());
        assertEquals(1, j.plugins().size());
        assertEquals("ptp", j.plugins().get(0).type());
        // The list bytes are built as Go marshals a map: sorted keys, compact.
        assertEquals("{\"cniVersion\":\"0.3.1\",\"name\":\"fromjson\",\"plugins\":[{\"alpha\":{\"a\":1,\"b\":2},"
                + "\"cniVersion\":\"0.3.1\",\"name\":\"fromjson\",\"type\":\"ptp\",\"zeta\":1}]}",
                new String(j.bytes(), StandardCharsets.UTF_8));
        assertEquals("bridge", ConfigLoader.load(dir, "fromconf").plugins().get(0).type());
    }

    @Test
    void unknownNetworkAndEmptyDirectoryAreErrors() throws Exception {
        CniException none = assertThrows(CniException.class, () -> ConfigLoader.load(dir, "net"));
        assertTrue(none.getMessage().contains("no net configurations found"), none.getMessage());
        write("10.conflist", list("a", ""));
        CniException missing = assertThrows(CniException.class, () -> ConfigLoader.load(dir, "net"));
        assertTrue(missing.getMessage().contains("no net configuration with name \"net\""), missing.getMessage());
    }

    @Test
    void aBrokenConflistAbortsTheLookupNamingTheFile() throws Exception {
        write("10-broken.conflist", "{\"name\":\"x\",\"plugins\":[{\"type\":\"a\"},");
        write("20-good.conflist", list("net", ""));
        CniException e = assertThrows(CniException.class, () -> ConfigLoader.load(dir, "net"));
        assertTrue(e.getMessage().contains("10-broken.conflist"), e.getMessage());
        assertEquals(CniException.DECODING_FAILURE, e.code());
    }

    @Test
    void booleansAcceptJsonBooleansAndTrueFalseStringsInAnyCase() throws Exception {
        NetworkConfigList l = ConfigLoader.fromBytes(b(list("n",
                ",\"disableCheck\":\"TRUE\",\"disableGC\":true,\"loadOnlyInlinedPlugins\":\"False\"")), "t");
        assertTrue(l.disableCheck());
        assertTrue(l.disableGC());
        assertFalse(l.loadOnlyInlinedPlugins());
        CniException yes = loadError(b(list("n", ",\"disableCheck\":\"yes\"")));
        assertTrue(yes.getMessage().contains("disableCheck"), yes.getMessage());
        assertTrue(yes.getMessage().contains("test.conflist"), yes.getMessage());
        assertThrows(CniException.class, () -> ConfigLoader.fromBytes(b(list("n", ",\"disableGC\":1")), "t"));
    }

    @Test
    void falseInEverySpellingIsFalse() throws Exception {
        NetworkConfigList l = ConfigLoader.fromBytes(b(list("n",
                ",\"disableCheck\":false,\"disableGC\":\"FALSE\",\"loadOnlyInlinedPlugins\":\"false\"")), "t");
        assertFalse(l.disableCheck());
        assertFalse(l.disableGC());
        assertFalse(l.loadOnlyInlinedPlugins());
        assertTrue(ConfigLoader.fromBytes(b(list("n", ",\"loadOnlyInlinedPlugins\":true")), "t").loadOnlyInlinedPlugins());
    }

    @Test
    void aPluginsDnsListsAndPrevResultAreTyped() {
        for (String field : List.of("nameservers", "search", "options")) {
            for (String value : List.of("\"1.1.1.1\"", "[\"a\",1]")) {
                CniException e = loadError(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"dns\":{\"" + field + "\":" + value + "}}]}"));
                assertEquals(CniException.INVALID_CONFIG, e.code());
                assertTrue(e.msg().endsWith("dns: \"" + field + "\" must be a list of strings, got " + value), e.msg());
            }
        }
        CniException prev = loadError(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"prevResult\":[]}]}"));
        assertTrue(prev.msg().endsWith("\"prevResult\" must be an object, got []"), prev.msg());
    }

    @Test
    void aDnsWithEveryListIsAccepted() throws Exception {
        ConfigLoader.fromBytes(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"prevResult\":{},\"dns\":{\"domain\":\"d\","
                + "\"nameservers\":[\"10.0.0.1\"],\"search\":[],\"options\":[\"ndots:5\",\"rotate\"]}}]}"), "t");
    }

    @Test
    void aConfigDirectoryThatIsAFileIsAnError() throws Exception {
        Path file = write("not-a-dir", "x");
        CniException e = assertThrows(CniException.class, () -> ConfigLoader.load(file, "net"));
        assertEquals(CniException.IO_FAILURE, e.code());
        assertEquals("cannot list " + file, e.msg());
    }

    @Test
    void aFileNamedOnlyByItsExtensionIsAConfigAsForLibcni() throws Exception {
        write(".conflist", list("net", ""));
        assertEquals("bridge", ConfigLoader.load(dir, "net").plugins().get(0).type(), "Go's filepath.Ext(\".conflist\") is \".conflist\"");
    }

    @Test
    void pluginListShapeIsChecked() {
        CniException empty = loadError(b("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[]}"));
        assertTrue(empty.getMessage().contains("no plugins in list"), empty.getMessage());
        CniException noType = loadError(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\"},{\"bridge\":\"x\"}]}"));
        assertTrue(noType.getMessage().contains("plugins[1]") && noType.getMessage().contains("type"), noType.getMessage());
        CniException caps = loadError(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":\"yes\"}}]}"));
        assertTrue(caps.getMessage().contains("capabilities.portMappings"), caps.getMessage());
        assertThrows(CniException.class, () -> ConfigLoader.fromBytes(b("{\"name\":\"n\",\"plugins\":{}}"), "t"));
        assertThrows(CniException.class, () -> ConfigLoader.fromBytes(b("{\"plugins\":[{\"type\":\"a\"}]}"), "t"));
        assertThrows(CniException.class, () -> ConfigLoader.fromBytes(b("{\"name\":7,\"plugins\":[{\"type\":\"a\"}]}"), "t"));
        assertThrows(CniException.class, () -> ConfigLoader.fromBytes(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"ipam\":\"x\"}]}"), "t"));
        assertThrows(CniException.class, () -> ConfigLoader.fromBytes(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\",\"dns\":{\"nameservers\":\"1.1.1.1\"}}]}"), "t"));
    }

    @Test
    void cniVersionsSelectsTheHighestNotAboveCurrent() throws Exception {
        NetworkConfigList l = ConfigLoader.fromBytes(b("{\"name\":\"n\",\"cniVersion\":\"0.4.0\","
                + "\"cniVersions\":[\"1.0.0\",\"2.0.0\",\"0.3.1\",\"1.1.0\"],\"plugins\":[{\"type\":\"a\"}]}"), "t");
        assertEquals("1.1.0", l.cniVersion());
        NetworkConfigList onlyFuture = ConfigLoader.fromBytes(b("{\"name\":\"n\",\"cniVersion\":\"1.0.0\","
                + "\"cniVersions\":[\"3.0.0\"],\"plugins\":[{\"type\":\"a\"}]}"), "t");
        assertEquals("1.0.0", onlyFuture.cniVersion());
        NetworkConfigList plain = ConfigLoader.fromBytes(b(list("n", "")), "t");
        assertEquals("1.0.0", plain.cniVersion());
        NetworkConfigList noCniVersion = ConfigLoader.fromBytes(b("{\"name\":\"n\",\"cniVersions\":[\"0.4.0\",\"1.0.0\"],"
                + "\"plugins\":[{\"type\":\"a\"}]}"), "t");
        assertEquals("1.0.0", noCniVersion.cniVersion());
        NetworkConfigList futureCniVersion = ConfigLoader.fromBytes(b("{\"name\":\"n\",\"cniVersion\":\"2.0.0\","
                + "\"cniVersions\":[\"0.4.0\"],\"plugins\":[{\"type\":\"a\"}]}"), "t");
        assertEquals("0.4.0", futureCniVersion.cniVersion(), "a cniVersion above what we speak is not a candidate");
        NetworkConfigList higherCniVersion = ConfigLoader.fromBytes(b("{\"name\":\"n\",\"cniVersion\":\"1.1.0\","
                + "\"cniVersions\":[\"0.4.0\"],\"plugins\":[{\"type\":\"a\"}]}"), "t");
        assertEquals("1.1.0", higherCniVersion.cniVersion(), "cniVersion is a candidate too");
        CniException bad = loadError(b("{\"name\":\"n\",\"cniVersions\":[\"1.x\"],\"plugins\":[{\"type\":\"a\"}]}"));
        assertTrue(bad.getMessage().contains("cniVersions[0]"), bad.getMessage());
        loadError(b("{\"name\":\"n\",\"cniVersions\":\"1.0.0\",\"plugins\":[{\"type\":\"a\"}]}"));
    }

    @Test
    void dropInPluginsAreAppendedUnlessOnlyInlined() throws Exception {
        Path file = write("10-net.conflist", list("net", ""));
        write("net/20-b.conf", "{\"type\":\"dropb\"}");
        write("net/10-a.conf", "{\"type\":\"dropa\"}");
        write("net/30-ignored.json", "{\"type\":\"nope\"}");
        NetworkConfigList l = ConfigLoader.fromFile(file);
        List<String> types = new ArrayList<>();
        for (PluginConfig p : l.plugins()) {
            types.add(p.type());
        }
        assertEquals(List.of("bridge", "dropa", "dropb"), types);
        // The cache stores the conflist's own bytes, not the drop-ins.
        assertArrayEquals(Files.readAllBytes(file), l.bytes());

        Path inlined = write("20-inl.conflist", list("inl", ",\"loadOnlyInlinedPlugins\":true"));
        write("inl/10-a.conf", "{\"type\":\"dropa\"}");
        assertEquals(1, ConfigLoader.fromFile(inlined).plugins().size());
    }

    @Test
    void aConflistWithoutPluginsTakesThemAllFromDropIns() throws Exception {
        Path file = write("10-net.conflist", "{\"cniVersion\":\"1.1.0\",\"name\":\"net\"}");
        CniException none = assertThrows(CniException.class, () -> ConfigLoader.fromFile(file));
        assertTrue(none.getMessage().contains("no plugin configs found"), none.getMessage());
        write("net/10-a.conf", "{\"type\":\"only\"}");
        assertEquals("only", ConfigLoader.fromFile(file).plugins().get(0).type());
        Path noPlugins = write("20-x.conflist", "{\"name\":\"x\",\"loadOnlyInlinedPlugins\":\"true\"}");
        assertThrows(CniException.class, () -> ConfigLoader.fromFile(noPlugins));
    }

    @Test
    void aBrokenDropInIsAnErrorNamingIt() throws Exception {
        Path file = write("10-net.conflist", list("net", ""));
        write("net/10-a.conf", "{\"capabilities\":{}}");
        CniException e = assertThrows(CniException.class, () -> ConfigLoader.fromFile(file));
        assertTrue(e.getMessage().contains("10-a.conf"), e.getMessage());
    }

    @Test
    void capabilitiesAreRecordedInFileOrder() throws Exception {
        NetworkConfigList l = ConfigLoader.fromBytes(b("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\","
                + "\"capabilities\":{\"portMappings\":true,\"bandwidth\":false}}]}"), "t");
        assertTrue(l.plugins().get(0).declares("portMappings"));
        assertFalse(l.plugins().get(0).declares("bandwidth"));
        assertFalse(l.plugins().get(0).declares("dns"));
    }

    private static void mkfifo(Path p) throws Exception {
        assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor());
    }

    /**
     * Issue 6, point 9: what is not a regular file in the config directory (a FIFO, a device, a
     * symlink to one) is skipped with a warning; reading a FIFO would wait for a writer forever.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void whatIsNotARegularFileIsSkippedWithAWarning() throws Exception {
        mkfifo(dir.resolve("00-fifo.conflist"));
        Files.createSymbolicLink(dir.resolve("01-zero.conflist"), Path.of("/dev/zero"));
        mkfifo(dir.resolve("02-fifo.conf"));
        write("10-net.conflist", list("net", ""));
        Files.createDirectories(dir.resolve("net"));
        mkfifo(dir.resolve("net/50-dropin.conf"));
        Files.createSymbolicLink(dir.resolve("20-linked.conflist"), write("elsewhere/real.json", list("linked", "")));
        List<String> warnings = new ArrayList<>();
        NetworkConfigList l = ConfigLoader.load(dir, "net", warnings::add);
        assertEquals(List.of("bridge"), types(l));
        assertEquals("linked", ConfigLoader.load(dir, "linked", w -> { }).name(), "a symlink to a regular file is read, as libcni does");
        assertTrue(warnings.contains("skipping " + dir.resolve("00-fifo.conflist") + ": not a regular file"), warnings.toString());
        assertTrue(warnings.contains("skipping " + dir.resolve("01-zero.conflist") + ": not a regular file"), warnings.toString());
        assertTrue(warnings.contains("skipping " + dir.resolve("net/50-dropin.conf") + ": not a regular file"), warnings.toString());
    }

    /**
     * A FIFO where a directory is expected (the config directory, a network's drop-in
     * directory): listing it would open it, and the open waits for a writer forever.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoWhereADirectoryIsExpectedIsAnErrorNotAHang() throws Exception {
        mkfifo(dir.resolve("fifo-dir"));
        CniException confDir = assertThrows(CniException.class, () -> ConfigLoader.load(dir.resolve("fifo-dir"), "net", w -> { }));
        assertEquals(CniException.IO_FAILURE, confDir.code(), confDir.getMessage());
        assertTrue(confDir.getMessage().contains("not a directory"), confDir.getMessage());
        write("10-net.conflist", list("net", ""));
        mkfifo(dir.resolve("net"));
        CniException dropIns = assertThrows(CniException.class, () -> ConfigLoader.load(dir, "net", w -> { }));
        assertEquals(CniException.IO_FAILURE, dropIns.code(), dropIns.getMessage());
    }

    @Test
    void aNamedConflistMustBeARegularFileOfBoundedSize() throws Exception {
        CniException device = assertThrows(CniException.class, () -> ConfigLoader.fromFile(Path.of("/dev/zero")));
        assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
        byte[] huge = new byte[ConfigLoader.MAX_FILE_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        System.arraycopy(b(list("big", "")), 0, huge, 0, list("big", "").length());
        Path big = Files.write(dir.resolve("big.conflist"), huge);
        CniException tooBig = assertThrows(CniException.class, () -> ConfigLoader.fromFile(big));
        assertTrue(tooBig.getMessage().contains("larger than"), tooBig.getMessage());
    }

    private static List<String> types(NetworkConfigList l) {
        List<String> out = new ArrayList<>();
        for (PluginConfig p : l.plugins()) {
            out.add(p.type());
        }
        return out;
    }
}
