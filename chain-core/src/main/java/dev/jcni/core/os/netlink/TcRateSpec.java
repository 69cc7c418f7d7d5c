package dev.jcni.core.os.netlink;

/**
 * struct tc_ratespec, the 12 bytes a rate takes inside TBF's and HTB's parameter structs:
 * <pre>
 *   u8 cell_log; u8 linklayer; u16 overhead; s16 cell_align; u16 mpu; u32 rate;
 * </pre>
 * {@code rate} is bytes per second, {@code ~0} when the real rate (then in a RATE64 attribute)
 * does not fit. cell_log and cell_align describe the rate table old kernels used; iproute2 still
 * fills them (cell_log 3 for its default mtu of 2047, cell_align -1), and so do we, so requests
 * stay byte-for-byte tc's, but the table itself is not sent: with a link layer set, the kernel
 * computes transmission times from mult/shift ({@link PschedRate}) and never reads it.
 */
final class TcRateSpec {
    static final int LENGTH = 12;
    private static final int CELL_LOG = 0;
    private static final int LINKLAYER = 1;
    static final int OVERHEAD = 2;
    private static final int CELL_ALIGN = 4;
    static final int MPU = 6;
    private static final int RATE = 8;
    /** tc_calc_rtable's cell_log for mtu 0 (taken as 2047): the smallest with 2047 >> cell_log <= 255. */
    private static final int TC_CELL_LOG = 3;

    private TcRateSpec() {}

    /** What tc_calc_rtable writes whatever the rate: cell_log and cell_align -1. */
    static void prepare(byte[] struct, int at) {
        TcWire.putU8(struct, at + CELL_LOG, TC_CELL_LOG);
        TcWire.putU16(struct, at + CELL_ALIGN, 0xffff);
    }

    /** cell_log as tc_calc_rtable derives it from an mtu (tc's {@code mtu}; 0 stands for its default 2047). */
    static int cellLog(long mtu) {
        long m = mtu == 0 ? 2047 : mtu;
        int cellLog = 0;
        while ((m >> cellLog) > 255) {
            cellLog++;
        }
        return cellLog;
    }

    static void putCellLog(byte[] struct, int at, int cellLog) {
        TcWire.putU8(struct, at + CELL_LOG, cellLog);
    }

    /** The rate field: the rate, or ~0 when it needs the 64-bit attribute. */
    static void putRate(byte[] struct, int at, long rate) {
        TcWire.putU32(struct, at + RATE, Math.min(rate, TcWire.U32_MAX));
    }

    static long rate(byte[] struct, int at) {
        return TcWire.u32(struct, at + RATE);
    }

    static void putLinkLayer(byte[] struct, int at, TcLinkLayer linkLayer) {
        TcWire.putU8(struct, at + LINKLAYER, linkLayer.code());
    }

    static TcLinkLayer linkLayer(byte[] struct, int at) {
        return TcLinkLayer.fromCode(TcWire.u8(struct, at + LINKLAYER));
    }

    static void putOverhead(byte[] struct, int at, int overhead) {
        TcWire.putU16(struct, at + OVERHEAD, TcWire.checkU16("overhead", overhead));
    }

    static void putMpu(byte[] struct, int at, int mpu) {
        TcWire.putU16(struct, at + MPU, TcWire.checkU16("mpu", mpu));
    }

    /** A rate from its struct field and its 64-bit attribute (null when absent): the larger, as the kernel takes it. */
    static long rate(long field, Long rate64) {
        return rate64 == null ? field : Math.max(field, rate64);
    }

    static void checkRate(String what, long rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + rate);
        }
    }
}
