package dev.jcni.core.os.netlink;

/**
 * The FIFO qdiscs: {@code pfifo} (its limit in packets) and {@code bfifo} (in bytes). Their
 * options are not a nest but one bare struct (tc_fifo_qopt: u32 limit) as TCA_OPTIONS' payload,
 * sent only when a limit is set: without one the kernel takes the device's txqueuelen (times
 * the MTU for bfifo). Both kinds share the one row, {@link #LIMIT}.
 */
public final class QdiscFifo {
    private static final int QOPT_LENGTH = 4;

    public static final TcKind PFIFO = new TcKind("pfifo", TcKind.Family.QDISC, TcKind.Layout.STRUCT);
    public static final TcKind BFIFO = new TcKind("bfifo", PFIFO);

    /** Packets (pfifo) or bytes (bfifo). */
    public static final TcParameter<Long> LIMIT = new TcParameter<Long>(PFIFO, "limit") {
        @Override
        void encode(TcWire.Writer out, Long limit, TcOptions options, Psched clock) {
            TcWire.putU32(out.raw(QOPT_LENGTH), 0, TcWire.checkU32("fifo limit", limit));
        }

        @Override
        Long decode(TcWire.Reader in, Psched clock) {
            byte[] raw = in.raw();
            return raw == null || raw.length < QOPT_LENGTH ? null : TcWire.u32(raw, 0);
        }
    };

    private QdiscFifo() {}

    /** A pfifo of {@code packets}. */
    public static TcOptions packets(long packets) {
        return TcOptions.of(PFIFO).with(LIMIT, packets);
    }

    /** A bfifo of {@code bytes}. */
    public static TcOptions bytes(long bytes) {
        return TcOptions.of(BFIFO).with(LIMIT, bytes);
    }
}
