package dev.jcni.core.os.netlink;

/**
 * Parameter rows that are one field of a kind's parameter struct, in the shapes several kinds
 * share: a rate in a {@link TcRateSpec} (plus its 64-bit attribute), an mpu, overhead or link
 * layer written into one or more rate specs (HTB's rate and ceil carry the same ones), and a u32
 * field read as an Integer (mirred's index, verdict, eaction, ifindex).
 *
 * <p>One class per shape rather than an anonymous class per row: the rows' logic lives once, and
 * a plugin loads these few classes instead of one class per row of every kind it uses.
 */
final class TcStructRows {
    private TcStructRows() {}

    /**
     * A rate, bytes per second: the rate field of a rate spec at {@code spec} of struct
     * {@code type}, {@code ~0} there plus the {@code rate64} attribute when it does not fit 32 bits.
     */
    static class Rate extends TcParameter<Long> {
        private final int type;
        private final int length;
        private final int spec;
        private final int rate64;
        private final boolean required;

        Rate(TcKind kind, String name, boolean required, int type, int length, int spec, int rate64) {
            super(kind, name);
            this.type = type;
            this.length = length;
            this.spec = spec;
            this.rate64 = rate64;
            this.required = required;
        }

        @Override
        boolean required() {
            return required;
        }

        @Override
        void encode(TcWire.Writer out, Long rate, TcOptions options, Psched clock) {
            TcRateSpec.checkRate(kind().name() + " " + name(), rate);
            TcRateSpec.putRate(out.struct(type, length), spec, rate);
            if (rate > TcWire.U32_MAX) {
                out.u64(rate64, rate);
            }
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            byte[] parms = in.struct(type, length);
            return parms == null ? null : TcRateSpec.rate(TcRateSpec.rate(parms, spec), in.u64(rate64));
        }
    }

    /**
     * The mpu or the overhead (a u16 field of a rate spec, {@link TcRateSpec#MPU} or
     * {@link TcRateSpec#OVERHEAD}), written into every rate spec at {@code specs} and read back
     * from the first.
     */
    static final class SpecU16 extends TcParameter<Integer> {
        private final int field;
        private final int type;
        private final int length;
        private final int[] specs;

        SpecU16(TcKind kind, String name, int field, int type, int length, int... specs) {
            super(kind, name);
            this.field = field;
            this.type = type;
            this.length = length;
            this.specs = specs;
        }

        @Override
        void encode(TcWire.Writer out, Integer value, TcOptions options, Psched clock) {
            byte[] parms = out.struct(type, length);
            for (int spec : specs) {
                TcWire.putU16(parms, spec + field, TcWire.checkU16(name(), value));
            }
        }

        @Override
        Integer decode(TcWire.Reader in, Psched clock) {
            byte[] parms = in.struct(type, length);
            return parms == null ? null : TcWire.u16(parms, specs[0] + field);
        }
    }

    /**
     * The link layer of the rate specs at {@code specs}, written into each and read back from the
     * first; ethernet when not set, as tc.
     */
    static final class SpecLinkLayer extends TcParameter<TcLinkLayer> {
        private final int type;
        private final int length;
        private final int[] specs;

        SpecLinkLayer(TcKind kind, int type, int length, int... specs) {
            super(kind, "linklayer");
            this.type = type;
            this.length = length;
            this.specs = specs;
        }

        @Override
        TcLinkLayer defaultValue(TcOptions options, Psched clock) {
            return TcLinkLayer.ETHERNET;
        }

        @Override
        void encode(TcWire.Writer out, TcLinkLayer linkLayer, TcOptions options, Psched clock) {
            byte[] parms = out.struct(type, length);
            for (int spec : specs) {
                TcRateSpec.putLinkLayer(parms, spec, linkLayer);
            }
        }

        @Override
        TcLinkLayer decode(TcWire.Reader in, Psched clock) {
            byte[] parms = in.struct(type, length);
            return parms == null ? null : TcRateSpec.linkLayer(parms, specs[0]);
        }
    }

    /**
     * A u32 field of struct {@code type} as an Integer (an ifindex, a TC_ACT_* verdict), written
     * as the int's 32 bits; read only from a struct of the full {@code size}.
     */
    static class IntField extends TcParameter.StructField<Integer> {
        IntField(TcKind kind, String name, int type, int size, int offset) {
            super(kind, name, type, size, offset);
        }

        @Override
        void encode(TcWire.Writer out, Integer value, TcOptions options, Psched clock) {
            TcWire.putU32(out.struct(type, size), offset, value);
        }

        @Override
        Integer decode(TcWire.Reader in, Psched clock) {
            byte[] parms = in.struct(type, size);
            return parms == null ? null : (int) TcWire.u32(parms, offset);
        }
    }
}
