package dev.jcni.core.os.netlink;

import java.util.Objects;

/**
 * One row of a tc kind's parameter table: a qdisc's, class's, filter's or action's parameter,
 * saying how it is written into a request ({@link #encode}), read back from a dump
 * ({@link #decode}) and compared with what was asked for ({@link #matches}). The tables are the
 * kind classes ({@link QdiscTbf}, {@link QdiscHtb}, {@link QdiscHtbClass}, {@link QdiscFifo},
 * {@link FilterU32}, {@link ActionMirred}); values are held in {@link TcOptions}.
 *
 * <p>The same pattern as {@link LinkAttribute}, grown for what tc needs: a row is a
 * <em>parameter</em>, not an attribute, because tc packs several parameters into one C struct
 * (TBF's rate, limit and buffer are fields of TCA_TBF_PARMS) and spreads one parameter over
 * several places (a rate of 2^32 bytes/s or more is {@code ~0} in the struct plus a RATE64
 * attribute). Rows therefore write into a {@link TcWire.Writer} that assembles the structs, and
 * may look at other rows (the burst is sent as ticks at the rate).
 *
 * <p>Comparison is per row because some parameters come back in other units: a burst asked for
 * in bytes is reported as a tick count, so its row compares ticks. Rows the kernel reports but a
 * request cannot set (a TBF's buffer in ticks, an HTB class's level) are not {@link #settable}.
 *
 * @param <T> the value type (Long for byte counts and rates, Integer, TcHandle, enums, lists)
 */
public abstract class TcParameter<T> {
    private final TcKind kind;
    private final String name;
    private final int ordinal;

    TcParameter(TcKind kind, String name) {
        this.kind = kind;
        this.name = name;
        this.ordinal = kind.add(this);
    }

    /** The parameter's name as {@code tc} spells it: "rate", "burst", "limit", "classid". */
    public final String name() {
        return name;
    }

    /** The kind whose table this row belongs to. */
    public final TcKind kind() {
        return kind;
    }

    /** The parameter and value in tc's words, for messages: "rate 1250000", "classid 1:1". */
    public String describe(T value) {
        return name + " " + value;
    }

    /** False for rows only the kernel fills (a dump reports them; a request leaves them out). */
    public boolean settable() {
        return true;
    }

    /**
     * The value sent when a request does not set the row: tc's default (a TBF's link layer is
     * ethernet, an HTB class's ceil is its rate), or null when the row is optional or required.
     */
    T defaultValue(TcOptions options, Psched clock) {
        return null;
    }

    /** A request of this kind cannot be sent without the row (TBF's rate, burst and limit). */
    boolean required() {
        return false;
    }

    /** Writes {@code value} into the request's options; may read other rows of {@code options}. */
    abstract void encode(TcWire.Writer out, T value, TcOptions options, Psched clock);

    /** The row's value in a dump's options, or null when the kernel did not report it. */
    abstract T decode(TcWire.Reader in, Psched clock);

    /**
     * Whether the kernel's object holds what {@code wanted} asked for. By default the decoded
     * value equals the wanted one; rows whose value comes back in other units override this.
     */
    boolean matches(T wanted, TcOptions wantedOptions, TcOptions actual, Psched clock) {
        return Objects.equals(wanted, actual.get(this));
    }

    /** How a failed {@link #matches} reads: "rate 1250000 (kernel: 1000000)". */
    String mismatch(T wanted, TcOptions wantedOptions, TcOptions actual, Psched clock) {
        T got = actual.get(this);
        return describe(wanted) + " (kernel: " + (got == null ? "not set" : describe(got)) + ")";
    }

    final int ordinal() {
        return ordinal;
    }

    @Override
    public String toString() {
        return kind.name() + " " + name;
    }

    /** A field at {@code offset} of struct attribute {@code type}, a struct of {@code size} bytes. */
    abstract static class StructField<T> extends TcParameter<T> {
        final int type;
        final int size;
        final int offset;

        StructField(TcKind kind, String name, int type, int size, int offset) {
            super(kind, name);
            this.type = type;
            this.size = size;
            this.offset = offset;
        }
    }

    /** A u32 field of a struct attribute (a limit, a quantum), as an unsigned Long. */
    static class StructU32 extends StructField<Long> {
        StructU32(TcKind kind, String name, int type, int size, int offset) {
            super(kind, name, type, size, offset);
        }

        @Override
        void encode(TcWire.Writer out, Long value, TcOptions options, Psched clock) {
            TcWire.putU32(out.struct(type, size), offset, TcWire.checkU32(name(), value));
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            byte[] s = in.struct(type, offset + 4);
            return s == null ? null : TcWire.u32(s, offset);
        }
    }

    /** A u32 attribute of its own (HTB's direct_qlen), as an unsigned Long. */
    static class AttributeU32 extends TcParameter<Long> {
        private final int type;

        AttributeU32(TcKind kind, String name, int type) {
            super(kind, name);
            this.type = type;
        }

        @Override
        void encode(TcWire.Writer out, Long value, TcOptions options, Psched clock) {
            out.u32(type, TcWire.checkU32(name(), value));
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            return in.u32(type);
        }
    }

    /** A value the kernel reports in a struct field but a request does not send (computed or kernel-owned). */
    static class ReportedU32 extends StructU32 {
        ReportedU32(TcKind kind, String name, int type, int size, int offset) {
            super(kind, name, type, size, offset);
        }

        @Override
        public boolean settable() {
            return false;
        }

        @Override
        void encode(TcWire.Writer out, Long value, TcOptions options, Psched clock) {
            // Filled in by another row (the burst's ticks) or by the kernel alone.
        }
    }
}
