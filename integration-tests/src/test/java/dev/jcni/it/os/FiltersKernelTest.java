package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.netlink.ActionMirred;
import dev.jcni.core.os.netlink.Filter;
import dev.jcni.core.os.netlink.FilterU32;
import dev.jcni.core.os.netlink.FilterU32Selector;
import dev.jcni.core.os.netlink.QdiscIngress;
import dev.jcni.core.os.netlink.TcActions;
import dev.jcni.core.os.netlink.TcHandle;
import dev.jcni.it.support.RequiresRoot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An ingress qdisc and a u32 rule redirecting everything to an ifb (the bandwidth plugin's egress
 * path), against the real kernel, read back by us and by {@code tc -j filter show}.
 */
@RequiresRoot
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FiltersKernelTest {
    private TcLab lab;
    private String ifb;
    private int dev;
    private int ifbIndex;

    @BeforeEach
    void setUp() {
        lab = new TcLab();
        ifb = lab.addIfb("tf");
        dev = lab.index(lab.dev);
        ifbIndex = lab.index(ifb);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private Filter redirect(int handle, int target) {
        return new Filter(dev, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, handle,
                FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(target))));
    }

    /** tc's entry for the rule (not the classifier, not its hash table). */
    private JsonNode tcRule(String dev, String where) {
        JsonNode all = lab.tcJson("filter", "show", "dev", dev, where);
        JsonNode rule = null;
        for (JsonNode f : all) {
            if (f.path("options").has("match")) {
                if (rule != null) {
                    throw new AssertionError("more than one rule: " + all);
                }
                rule = f;
            }
        }
        if (rule == null) {
            throw new AssertionError("no rule: " + all);
        }
        return rule;
    }

    @Test
    void redirectToIfbReadsBackAsTcShowsIt() throws Exception {
        Filter wanted = redirect(0, ifbIndex);
        List<Filter> rules = lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.ingress(dev));
            tc.filters.add(wanted);
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC);
        });
        assertEquals(1, rules.size(), rules.toString());
        Filter got = rules.get(0);
        assertEquals(List.of(), wanted.differences(got, lab.inside(c -> c.clock)));

        JsonNode tc = tcRule(lab.dev, "ingress");
        assertEquals("all", tc.get("protocol").asText());
        assertEquals(1, tc.get("pref").asInt());
        JsonNode o = tc.get("options");
        assertEquals(FilterU32.formatHandle(got.handle()), o.get("fh").asText());
        assertEquals(got.get(FilterU32.CLASSID).toString(), o.get("flowid").asText());
        JsonNode action = o.get("actions").get(0);
        assertEquals(1, o.get("actions").size());
        assertEquals("mirred", action.get("kind").asText());
        assertEquals("redirect", action.get("mirred_action").asText());
        assertEquals("egress", action.get("direction").asText());
        assertEquals(ifb, action.get("to_dev").asText());
        assertEquals("stolen", action.get("control_action").get("type").asText());
        TcOptionsAssert.mirred(got.get(FilterU32.ACTIONS).get(0), ActionMirred.Mode.EGRESS_REDIRECT, ifbIndex,
                TcActions.TC_ACT_STOLEN, action.get("index").asInt());
    }

    @Test
    void replaceByHandleChangesTheRuleInPlace() throws Exception {
        int peer = lab.index(lab.peer);
        Filter first = lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.ingress(dev));
            tc.filters.add(redirect(0, ifbIndex));
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC).get(0);
        });
        Filter moved = redirect(first.handle(), peer);
        List<Filter> after = lab.inside(tc -> {
            tc.filters.replace(moved);
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC);
        });
        assertEquals(1, after.size(), "replaced, not added: " + after);
        assertEquals(first.handle(), after.get(0).handle());
        assertEquals(List.of(), moved.differences(after.get(0), lab.inside(c -> c.clock)));
        assertEquals(lab.peer, tcRule(lab.dev, "ingress").get("options").get("actions").get(0).get("to_dev").asText());
    }

    @Test
    void addingTwiceMakesTwoRulesReplaceWithAFixedHandleDoesNot() throws Exception {
        int fixed = FilterU32.handle(0x800, 0, 0x800);
        List<Filter> two = lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.ingress(dev));
            tc.filters.add(redirect(0, ifbIndex));
            tc.filters.add(redirect(0, ifbIndex));
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC);
        });
        assertEquals(List.of("800::800", "800::801"),
                List.of(FilterU32.formatHandle(two.get(0).handle()), FilterU32.formatHandle(two.get(1).handle())));
        List<Filter> one = lab.inside(tc -> {
            tc.filters.deletePriority(dev, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL);
            tc.filters.replace(redirect(fixed, ifbIndex));
            tc.filters.replace(redirect(fixed, ifbIndex));
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC);
        });
        assertEquals(1, one.size(), one.toString());
        assertEquals(fixed, one.get(0).handle());
    }

    @Test
    void replacingTheIngressQdiscKeepsItsRules() throws Exception {
        // An ADD run twice replaces what it made: the ingress qdisc's rules must survive that.
        List<Filter> rules = lab.inside(tc -> {
            tc.qdiscs.replace(QdiscIngress.ingress(dev));
            tc.filters.replace(redirect(FilterU32.handle(0x800, 0, 0x800), ifbIndex));
            tc.qdiscs.replace(QdiscIngress.ingress(dev));
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC);
        });
        assertEquals(1, rules.size(), rules.toString());
        assertEquals(ifb, tcRule(lab.dev, "ingress").get("options").get("actions").get(0).get("to_dev").asText());
        InvalidArgumentException otherKind = assertThrows(InvalidArgumentException.class, () -> lab.inside(tc -> {
            tc.qdiscs.replace(QdiscIngress.clsact(dev));
            return null;
        }));
        assertTrue(otherKind.getMessage().contains("must match existing qdisc"), otherKind.getMessage());
    }

    @Test
    void deleteThenNotFound() throws Exception {
        Filter rule = lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.ingress(dev));
            tc.filters.add(redirect(0, ifbIndex));
            return tc.filters.list(dev, TcHandle.INGRESS_QDISC).get(0);
        });
        lab.inside(tc -> {
            tc.filters.delete(rule);
            return null;
        });
        assertEquals(List.of(), lab.inside(tc -> tc.filters.list(dev, TcHandle.INGRESS_QDISC)));
        NotFoundException handleGone = assertThrows(NotFoundException.class, () -> lab.inside(tc -> {
            tc.filters.delete(rule);
            return null;
        }));
        assertTrue(handleGone.getMessage().contains("on " + lab.dev), handleGone.getMessage());
        // The last rule took its priority (the classifier and its hash table) with it.
        assertEquals("[]", lab.tc("-j", "filter", "show", "dev", lab.dev, "ingress").trim());
        assertThrows(NotFoundException.class, () -> lab.inside(tc -> {
            tc.filters.deletePriority(dev, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL);
            return null;
        }));
    }

    @Test
    void kernelRefusalsAreTyped() throws Exception {
        // No ingress qdisc: no parent for the rule.
        InvalidArgumentException noParent = assertThrows(InvalidArgumentException.class, () -> lab.inside(tc -> {
            tc.filters.add(redirect(0, ifbIndex));
            return null;
        }));
        assertTrue(noParent.getMessage().startsWith("RTM_NEWTFILTER add u32 parent ffff: protocol all prio 1 on " + lab.dev),
                noParent.getMessage());
        // One protocol per priority.
        InvalidArgumentException mismatch = assertThrows(InvalidArgumentException.class, () -> lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.ingress(dev));
            tc.filters.add(redirect(0, ifbIndex));
            tc.filters.add(new Filter(dev, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_IP, 0,
                    FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), null)));
            return null;
        }));
        assertTrue(mismatch.getMessage().contains("Protocol mismatch"), mismatch.getMessage());
    }

    @Test
    void clsactIngressMirrorWithoutClassId() throws Exception {
        Filter wanted = new Filter(dev, TcHandle.CLSACT_INGRESS, 2, Filter.ETH_P_ALL, 0,
                FilterU32.options(FilterU32Selector.matchAll(), null, List.of(ActionMirred.mirror(ifbIndex))));
        Filter got = lab.inside(tc -> {
            tc.qdiscs.add(QdiscIngress.clsact(dev));
            tc.filters.add(wanted);
            return tc.filters.list(dev, TcHandle.CLSACT_INGRESS).get(0);
        });
        assertEquals(List.of(), wanted.differences(got, lab.inside(c -> c.clock)));
        assertNull(got.get(FilterU32.CLASSID));
        JsonNode action = tcRule(lab.dev, "ingress").get("options").get("actions").get(0);
        assertEquals("mirror", action.get("mirred_action").asText());
        assertEquals("pipe", action.get("control_action").get("type").asText());
        assertEquals(List.of(), lab.inside(tc -> tc.filters.list(dev, TcHandle.CLSACT_EGRESS)), "nothing on egress");
    }
}
