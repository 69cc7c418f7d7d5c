package dev.jcni.core.os.netlink;

import java.util.List;

/**
 * The {@code u32} classifier: rules matching 32-bit words of the packet ({@link #SELECTOR}),
 * steering matches into a class ({@link #CLASSID}, tc's {@code flowid}) and/or running actions on
 * them ({@link #ACTIONS}, e.g. {@link ActionMirred#redirect}). A request's options are
 * TCA_U32_CLASSID, TCA_U32_ACT and TCA_U32_SEL, in tc's order; the selector is flagged terminal
 * when the rule has a classid or actions, as tc does (a non-terminal rule without a hash-table
 * link does nothing).
 *
 * <p>Handles: a u32 rule's handle is {@code htid:bucket:node} ({@link #formatHandle}: {@code 800::800}
 * is node 0x800 of hash table 0x800). Every priority gets its own table (800:, 801:...), and a
 * dump reports each table as an entry of its own; {@link Filters#list} leaves those out
 * ({@link #isRule}). The handle namespace is shared by every u32 priority of a parent: delete a
 * rule by the handle a dump gave it, never by a handle guessed from another priority.
 *
 * <pre>
 * Filter toIfb = new Filter(vethIndex, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0,
 *         FilterU32.options(FilterU32Selector.matchAll(), TcHandle.of(1, 1), List.of(ActionMirred.redirect(ifb))));
 * </pre>
 */
public final class FilterU32 {
    static final int TCA_U32_CLASSID = 1;
    static final int TCA_U32_SEL = 5;
    static final int TCA_U32_ACT = 7;

    public static final TcKind KIND = new TcKind("u32", TcKind.Family.FILTER, TcKind.Layout.NESTED,
            TCA_U32_CLASSID, TCA_U32_ACT, TCA_U32_SEL);

    /** The class matches go to (tc's flowid / classid). */
    public static final TcParameter<TcHandle> CLASSID = new TcParameter<TcHandle>(KIND, "classid") {
        @Override
        void encode(TcWire.Writer out, TcHandle classId, TcOptions options, Psched clock) {
            out.u32(TCA_U32_CLASSID, classId.value() & TcWire.U32_MAX);
        }

        @Override
        TcHandle decode(TcWire.Reader in, Psched clock) {
            Long v = in.u32(TCA_U32_CLASSID);
            return v == null ? null : TcHandle.fromValue(v.intValue());
        }
    };

    /** The actions run on matches, in order. */
    public static final TcParameter<List<TcOptions>> ACTIONS = new TcParameter<List<TcOptions>>(KIND, "actions") {
        @Override
        void encode(TcWire.Writer out, List<TcOptions> actions, TcOptions options, Psched clock) {
            if (!actions.isEmpty()) {
                TcActions.encode(out, TCA_U32_ACT, actions, clock);
            }
        }

        @Override
        List<TcOptions> decode(TcWire.Reader in, Psched clock) {
            byte[] payload = in.get(TCA_U32_ACT);
            return payload == null ? null : TcActions.decode(payload, clock);
        }

        /** Same number of actions, and each action's set parameters match (the kernel adds its index). */
        @Override
        boolean matches(List<TcOptions> wanted, TcOptions wantedOptions, TcOptions actual, Psched clock) {
            List<TcOptions> got = actual.get(this);
            if (got == null) {
                return wanted.isEmpty();
            }
            if (got.size() != wanted.size()) {
                return false;
            }
            for (int i = 0; i < wanted.size(); i++) {
                if (!wanted.get(i).differences(got.get(i), clock).isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    };

    /** The words matched; required. */
    public static final TcParameter<FilterU32Selector> SELECTOR = new TcParameter<FilterU32Selector>(KIND, "match") {
        @Override
        boolean required() {
            return true;
        }

        @Override
        void encode(TcWire.Writer out, FilterU32Selector selector, TcOptions options, Psched clock) {
            List<TcOptions> actions = options.get(ACTIONS);
            boolean terminal = options.get(CLASSID) != null || (actions != null && !actions.isEmpty());
            out.bytes(TCA_U32_SEL, selector.toBytes(terminal));
        }

        @Override
        FilterU32Selector decode(TcWire.Reader in, Psched clock) {
            byte[] sel = in.get(TCA_U32_SEL);
            return sel == null ? null : FilterU32Selector.fromBytes(sel);
        }
    };

    private FilterU32() {}

    /** A rule matching {@code selector}, sending matches to {@code classId} (null: none) and running {@code actions}. */
    public static TcOptions options(FilterU32Selector selector, TcHandle classId, List<TcOptions> actions) {
        TcOptions o = TcOptions.of(KIND).with(SELECTOR, selector);
        if (classId != null) {
            o = o.with(CLASSID, classId);
        }
        if (actions != null && !actions.isEmpty()) {
            o = o.with(ACTIONS, actions);
        }
        return o;
    }

    /** The handle {@code htid:bucket:node} (12, 8 and 12 bits). */
    public static int handle(int hashTable, int bucket, int node) {
        if ((hashTable & ~0xfff) != 0 || (bucket & ~0xff) != 0 || (node & ~0xfff) != 0) {
            throw new IllegalArgumentException("u32 handle parts out of range: " + hashTable + ":" + bucket + ":" + node);
        }
        return hashTable << 20 | bucket << 12 | node;
    }

    /** A rule's handle as tc prints it: {@code 800::800}; a table's {@code 800:}; {@code none} for 0. */
    public static String formatHandle(int handle) {
        if (handle == 0) {
            return "none";
        }
        int table = handle >>> 20;
        int bucket = (handle >>> 12) & 0xff;
        int node = handle & 0xfff;
        StringBuilder sb = new StringBuilder();
        if (table != 0) {
            sb.append(Integer.toHexString(table)).append(':');
        }
        if (bucket != 0) {
            sb.append(Integer.toHexString(bucket));
        }
        if (node != 0) {
            sb.append(':').append(Integer.toHexString(node));
        }
        return sb.toString();
    }

    /** True for a rule's handle (a node), false for a hash table's entry in a dump (node 0). */
    public static boolean isRule(int handle) {
        return (handle & 0xfff) != 0;
    }
}
