package dev.jcni.core.os.netlink;

/**
 * The {@code mirred} action: sends the packet to another device, instead of letting it go on
 * (redirect) or as a copy (mirror), into that device's egress or ingress. TCA_MIRRED_PARMS is
 * struct tc_mirred: the generic action head (index, capab, verdict, refcnt, bindcnt), then
 * eaction and the target's ifindex.
 *
 * <pre>
 * TcOptions toIfb = ActionMirred.redirect(ifbIndex);   // tc ... action mirred egress redirect dev ifb
 * </pre>
 */
public final class ActionMirred {
    static final int TCA_MIRRED_PARMS = 2;
    /** struct tc_mirred. */
    static final int PARMS_LENGTH = 28;
    private static final int INDEX_FIELD = 0;
    private static final int VERDICT_FIELD = 8;
    private static final int EACTION_FIELD = 20;
    private static final int IFINDEX_FIELD = 24;

    /** What mirred does with the packet: the TCA_*_REDIR / TCA_*_MIRROR eaction. */
    public enum Mode {
        EGRESS_REDIRECT(1, "egress redirect", TcActions.TC_ACT_STOLEN),
        EGRESS_MIRROR(2, "egress mirror", TcActions.TC_ACT_PIPE),
        INGRESS_REDIRECT(3, "ingress redirect", TcActions.TC_ACT_STOLEN),
        INGRESS_MIRROR(4, "ingress mirror", TcActions.TC_ACT_PIPE);

        private final int code;
        private final String words;
        private final int defaultVerdict;

        Mode(int code, String words, int defaultVerdict) {
            this.code = code;
            this.words = words;
            this.defaultVerdict = defaultVerdict;
        }

        /** The eaction value. */
        public int code() {
            return code;
        }

        static Mode fromCode(int code) {
            for (Mode m : values()) {
                if (m.code == code) {
                    return m;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    public static final TcKind KIND = new TcKind("mirred", TcKind.Family.ACTION, TcKind.Layout.NESTED,
            TCA_MIRRED_PARMS);

    /** Redirect or mirror, to egress or ingress; required. */
    public static final TcParameter<Mode> MODE = new TcParameter<Mode>(KIND, "mode") {
        @Override
        boolean required() {
            return true;
        }

        @Override
        public String describe(Mode mode) {
            return mode.toString();
        }

        @Override
        void encode(TcWire.Writer out, Mode mode, TcOptions options, Psched clock) {
            TcWire.putU32(parms(out), EACTION_FIELD, mode.code());
        }

        @Override
        Mode decode(TcWire.Reader in, Psched clock) {
            byte[] p = in.struct(TCA_MIRRED_PARMS, PARMS_LENGTH);
            return p == null ? null : Mode.fromCode((int) TcWire.u32(p, EACTION_FIELD));
        }
    };

    /** The ifindex of the device the packet goes to; required. */
    public static final TcParameter<Integer> TARGET = new TcStructRows.IntField(KIND, "dev", TCA_MIRRED_PARMS,
            PARMS_LENGTH, IFINDEX_FIELD) {
        @Override
        boolean required() {
            return true;
        }

        @Override
        public String describe(Integer ifindex) {
            return "dev index " + ifindex;
        }
    };

    /** The verdict after the action (TC_ACT_*); tc's default when not set: stolen for redirect, pipe for mirror. */
    public static final TcParameter<Integer> VERDICT = new TcStructRows.IntField(KIND, "verdict", TCA_MIRRED_PARMS,
            PARMS_LENGTH, VERDICT_FIELD) {
        @Override
        Integer defaultValue(TcOptions options, Psched clock) {
            Mode mode = options.get(MODE);
            return mode == null ? null : mode.defaultVerdict;
        }

        @Override
        public String describe(Integer verdict) {
            return TcActions.verdictName(verdict);
        }
    };

    /** The action's index in the kernel's mirred table; 0 (not set) lets the kernel pick one. */
    public static final TcParameter<Integer> INDEX = new TcStructRows.IntField(KIND, "index", TCA_MIRRED_PARMS,
            PARMS_LENGTH, INDEX_FIELD);

    private ActionMirred() {}

    /** {@code mirred egress redirect dev <ifindex>}: the packet leaves through that device instead. */
    public static TcOptions redirect(int ifindex) {
        return TcOptions.of(KIND).with(MODE, Mode.EGRESS_REDIRECT).with(TARGET, ifindex);
    }

    /** {@code mirred egress mirror dev <ifindex>}: a copy leaves through that device. */
    public static TcOptions mirror(int ifindex) {
        return TcOptions.of(KIND).with(MODE, Mode.EGRESS_MIRROR).with(TARGET, ifindex);
    }

    private static byte[] parms(TcWire.Writer out) {
        return out.struct(TCA_MIRRED_PARMS, PARMS_LENGTH);
    }
}
