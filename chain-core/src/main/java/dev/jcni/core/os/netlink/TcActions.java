package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * Actions attached to a filter (a u32 rule's TCA_U32_ACT): a nest holding one nest per action,
 * numbered by order from 1, each with TCA_ACT_KIND ("mirred") and TCA_ACT_OPTIONS (flagged
 * NLA_F_NESTED, as the action layer's policy requires) with the kind's own attributes. Actions
 * are {@link TcOptions} of an action kind ({@link ActionMirred#KIND}); a dump's extra attributes
 * (statistics, hardware counters, timestamps) are skipped.
 */
public final class TcActions {
    /** TC_ACT_* verdicts: what happens to the packet after the action. */
    public static final int TC_ACT_OK = 0;
    public static final int TC_ACT_RECLASSIFY = 1;
    public static final int TC_ACT_SHOT = 2;
    public static final int TC_ACT_PIPE = 3;
    public static final int TC_ACT_STOLEN = 4;

    static final int TCA_ACT_KIND = 1;
    static final int TCA_ACT_OPTIONS = 2;
    private static final int[] ACTION_ORDER = {TCA_ACT_KIND, TCA_ACT_OPTIONS};

    private TcActions() {}

    /** tc's word for a verdict: "pass", "pipe", "stolen"... */
    public static String verdictName(int verdict) {
        switch (verdict) {
            case TC_ACT_OK:
                return "pass";
            case TC_ACT_RECLASSIFY:
                return "reclassify";
            case TC_ACT_SHOT:
                return "drop";
            case TC_ACT_PIPE:
                return "pipe";
            case TC_ACT_STOLEN:
                return "stolen";
            default:
                return Integer.toString(verdict);
        }
    }

    /** Writes {@code actions} as the nest {@code type} of {@code out}. */
    static void encode(TcWire.Writer out, int type, List<TcOptions> actions, Psched clock) {
        TcWire.Writer list = out.nest(type, null, false);
        for (int i = 0; i < actions.size(); i++) {
            TcOptions action = actions.get(i);
            if (action.kind().family() != TcKind.Family.ACTION) {
                throw new IllegalArgumentException(action.kind().name() + " is not an action kind");
            }
            TcWire.Writer one = list.nest(i + 1, ACTION_ORDER, false);
            one.string(TCA_ACT_KIND, action.kind().name());
            one.put(TCA_ACT_OPTIONS, action.kind().encode(action, clock), true);
        }
    }

    /** The actions in a dump's action-list payload, in order. */
    static List<TcOptions> decode(byte[] payload, Psched clock) {
        List<TcOptions> out = new ArrayList<>();
        AttributeReader list = new AttributeReader(payload, 0, payload.length);
        while (list.next()) {
            TcWire.Reader one = TcWire.Reader.nested(list.bytes());
            String kind = one.string(TCA_ACT_KIND);
            if (kind != null) {
                out.add(TcKind.named(TcKind.Family.ACTION, kind).decode(one.get(TCA_ACT_OPTIONS), clock));
            }
        }
        return out;
    }
}
