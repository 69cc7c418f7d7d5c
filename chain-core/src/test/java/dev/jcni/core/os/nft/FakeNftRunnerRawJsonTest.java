package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fake's answers to raw JSON commands the model never builds, each as nft 1.0.6 answered the
 * same batch (nft -j -f, in a throwaway network namespace, on 2026-11-30): the errno the exception
 * carries (from "Could not process rule: No such file or directory" and the like, or EINVAL for
 * nft's own parse errors such as "Object item not found: handle"), and rule positions by index.
 */
class FakeNftRunnerRawJsonTest {
    private static final String TABLE = "{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"t\"}}}";
    private static final String CHAIN = "{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"c\"}}}";
    private static final String SET = "{\"add\":{\"set\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\",\"type\":\"ipv4_addr\"}}}";
    private static final String MAP = "{\"add\":{\"map\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"m\",\"type\":\"inet_service\",\"map\":\"verdict\"}}}";

    private final FakeNftRunner nft = new FakeNftRunner();

    private static String batch(String... commands) {
        return "{\"nftables\":[" + String.join(",", commands) + "]}";
    }

    private static String rule(String verb, String extra, String expr) {
        return "{\"" + verb + "\":{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\"" + extra + ",\"expr\":[" + expr + "]}}}";
    }

    private void setUp() throws NftException {
        nft.applyJson(batch(TABLE, CHAIN, SET, MAP, rule("add", "", "{\"accept\":null}")));
    }

    private int errnoOf(String command) {
        return assertThrows(NftException.class, () -> nft.applyJson(batch(command)), command).errno();
    }

    private List<String> shownRules() throws NftException {
        Chain c = Table.of(Family.INET, "t").chain("c");
        List<String> out = new ArrayList<>();
        for (Rule r : nft.list(ListTarget.chain(c)).rules(c)) {
            out.add(r.handle() + " " + r.statements().get(r.statements().size() - 1));
        }
        return out;
    }

    @Test
    void ruleCommandsNftRefuses() throws Exception {
        setUp();
        assertEquals(Errno.ENOENT, errnoOf("{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"nosuch\",\"chain\":\"c\",\"expr\":[{\"accept\":null}]}}}"));
        assertEquals(Errno.ENOENT, errnoOf(rule("insert", ",\"handle\":99", "{\"drop\":null}")));
        assertEquals(Errno.EINVAL, errnoOf("{\"delete\":{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\"}}}"),
                "Object item not found: handle");
        assertEquals(Errno.EINVAL, errnoOf("{\"flush\":{\"rule\":{\"family\":\"inet\",\"table\":\"t\",\"chain\":\"c\"}}}"),
                "Unknown object passed to flush command.");
        assertEquals(Errno.EINVAL, errnoOf(rule("replace", "", "{\"drop\":null}")), "Handle is required when replacing a rule.");
        assertEquals(Errno.ENOENT, errnoOf(rule("add", ",\"index\":5", "{\"drop\":null}")));
        assertEquals(List.of("4 {\"accept\":null}"), shownRules(), "nothing of the refused batches");
    }

    @Test
    void indexZeroAddsAfterTheFirstRuleAndInsertsBeforeIt() throws Exception {
        setUp();
        nft.applyJson(batch(rule("add", "", "{\"continue\":null}")));
        nft.applyJson(batch(rule("add", ",\"index\":0", "{\"drop\":null}")));
        nft.applyJson(batch(rule("insert", ",\"index\":0", "{\"return\":null}")));
        // A one-element anonymous set is a plain comparison and takes no handle (7 is next).
        nft.applyJson(batch(rule("add", "", "{\"match\":{\"op\":\"==\",\"left\":{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},"
                + "\"right\":{\"set\":[22]}}},{\"accept\":null}")));
        // Handles come from the table's counter: chain 1, set 2, map 3, then the rules 4 to 8.
        assertEquals(List.of("7 {\"return\":null}", "4 {\"accept\":null}", "6 {\"drop\":null}", "5 {\"continue\":null}",
                "8 {\"accept\":null}"), shownRules());
    }

    @Test
    void setCommandsNftRefuses() throws Exception {
        setUp();
        assertEquals(Errno.ENOENT, errnoOf("{\"add\":{\"set\":{\"family\":\"inet\",\"table\":\"nosuch\",\"name\":\"s\",\"type\":\"ipv4_addr\"}}}"));
        assertEquals(Errno.EINVAL, errnoOf("{\"add\":{\"set\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s2\"}}}"), "Invalid set type.");
        assertEquals(Errno.EEXIST, errnoOf(SET.replace("\"add\"", "\"create\"")));
        assertEquals(Errno.EEXIST, errnoOf("{\"add\":{\"map\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\",\"type\":\"ipv4_addr\",\"map\":\"verdict\"}}}"),
                "a map over the set of the same name");
        assertEquals(Errno.ENOENT, errnoOf("{\"delete\":{\"set\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"nosuch\"}}}"));
        assertEquals(Errno.ENOENT, errnoOf("{\"flush\":{\"set\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"nosuch\"}}}"));
        assertEquals(Errno.EINVAL, errnoOf(SET.replace("\"add\"", "\"insert\"")), "Object item not found: rule");
        nft.applyJson(batch(SET, MAP));
    }

    @Test
    void elementCommandsNftRefuses() throws Exception {
        setUp();
        assertEquals(Errno.ENOENT, errnoOf("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"nosuch\",\"elem\":[\"10.0.0.1\"]}}}"));
        assertEquals(Errno.EINVAL, errnoOf("{\"flush\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\",\"elem\":[\"10.0.0.1\"]}}}"));
        assertEquals(Errno.EINVAL, errnoOf("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"m\",\"elem\":[80]}}}"),
                "a map element without data");
        assertEquals(Errno.ENOENT, errnoOf("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"m\",\"elem\":[[80,{\"jump\":{\"target\":\"nosuch\"}}]]}}}"));
        assertEquals(Errno.EINVAL, errnoOf("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\",\"elem\":[[\"10.0.0.1\",{\"accept\":null}]]}}}"),
                "set is not a map");
        assertEquals(Errno.EINVAL, errnoOf("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"s\",\"elem\":[{\"concat\":[\"10.0.0.1\",\"10.0.0.2\"]}]}}}"),
                "two parts for a one-part key");
        nft.applyJson(batch("{\"add\":{\"element\":{\"family\":\"inet\",\"table\":\"t\",\"name\":\"m\",\"elem\":[[80,{\"jump\":{\"target\":\"c\"}}]]}}}"));
    }

    @Test
    void tableAndChainCommandsNftRefuses() throws Exception {
        setUp();
        assertEquals(Errno.ENOENT, errnoOf("{\"delete\":{\"table\":{\"family\":\"inet\",\"name\":\"nosuch\"}}}"));
        assertEquals(Errno.ENOENT, errnoOf("{\"flush\":{\"table\":{\"family\":\"inet\",\"name\":\"nosuch\"}}}"));
        assertEquals(Errno.EINVAL, errnoOf(TABLE.replace("\"add\"", "\"insert\"")));
        assertEquals(Errno.ENOENT, errnoOf("{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"nosuch\",\"name\":\"c\"}}}"));
        assertEquals(Errno.EINVAL, errnoOf(CHAIN.replace("\"add\"", "\"insert\"")));
        NftException unknown = assertThrows(NftException.class, () -> nft.applyJson(batch("{\"add\":{\"bogus\":{\"family\":\"inet\",\"name\":\"t\"}}}")));
        assertEquals(Errno.EINVAL, unknown.errno());
        assertEquals("internal:0:0-0: Error: Unknown object passed to add command.\n\n", unknown.errorText());
    }

    @Test
    void flushOfATableEmptiesItsChainsAndKeepsThemAndItsSets() throws Exception {
        setUp();
        nft.applyJson(batch("{\"flush\":{\"table\":{\"family\":\"inet\",\"name\":\"t\"}}}"));
        NftListing l = nft.list(ListTarget.table(Table.of(Family.INET, "t")));
        assertEquals(1, l.chains().size());
        assertTrue(l.rules().isEmpty());
        assertEquals(2, l.sets().size());
        nft.applyJson(batch("{\"delete\":{\"table\":{\"family\":\"inet\",\"name\":\"t\"}}}"));
        assertTrue(nft.list(ListTarget.ruleset()).tables().isEmpty());
    }

    @Test
    void aMalformedDocumentIsReportedAsAnApply() {
        NftException e = assertThrows(NftException.class, () -> nft.applyJson("{nope"));
        assertEquals("nft apply", e.operation());
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void tablesOfOtherNamesOrFamiliesAreOthers() throws Exception {
        nft.applyJson(batch(TABLE, "{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"u\"}}}",
                "{\"add\":{\"table\":{\"family\":\"ip\",\"name\":\"t\"}}}"));
        assertEquals(3, nft.list(ListTarget.ruleset()).tables().size());
        nft.applyJson(batch(CHAIN));
        assertEquals(1, nft.list(ListTarget.table(Table.of(Family.INET, "t"))).chains().size());
        assertTrue(nft.list(ListTarget.table(Table.of(Family.INET, "u"))).chains().isEmpty());
    }
}
