package dev.jcni.bandwidth;

import dev.jcni.core.os.netlink.QdiscTbf;
import dev.jcni.core.os.netlink.TcLinkLayer;
import dev.jcni.core.os.netlink.TcOptions;

/**
 * The TBF of one direction, sized from its rate and burst, the link's MTU and the latency target.
 * All sizes in bytes, rates in bytes per second. The measurements behind the numbers are in
 * docs/bandwidth.md ("Queue sizing").
 *
 * <ul>
 *   <li><b>Queue</b> ({@code limit}): what the rate sends in the latency target (default
 *       {@value #DEFAULT_LATENCY_MICROS} µs), but never fewer than {@value #MIN_QUEUE_FRAMES}
 *       full frames (with fewer, TCP through the shaper loses its ACK clock after a drop and the
 *       link idles: with a small bucket 4 frames cost a fifth of the rate at 10 Mbit/s, 6 cost
 *       nothing measurable), and always room for the
 *       largest packet queued whole plus a frame. The reference sets rate × 25 ms <em>plus the
 *       burst</em>: with the usual burst of a tenth of the rate that is 125 ms of queue, with
 *       containerd's 4294967295-bit burst 512 MB.</li>
 *   <li><b>Largest packet queued whole</b> ({@link QdiscTbf#PBURST} with a
 *       {@link QdiscTbf#PEAKRATE} far above the rate, so the peak bucket limits nothing else):
 *       what the rate sends in 1 ms (a paced TCP sender's GSO size at that rate), at least two
 *       frames, at most 64 KiB. TBF cuts larger GSO packets into segments; without the cap a
 *       64 KiB packet that does not fit the queue is dropped whole, again and again (measured:
 *       0.6 % of the rate with a 12.5 KB queue behind a 125 KB bucket).</li>
 *   <li><b>Default burst</b>, when the runtime gave none: what the rate sends in 100 ms, at least
 *       the largest packet: it carries TCP over the pauses after a drop, so the rate is reached
 *       with a short queue.</li>
 * </ul>
 */
final class TbfSizing {
    static final long DEFAULT_LATENCY_MICROS = 5_000;
    static final int MIN_QUEUE_FRAMES = 6;
    static final long DEFAULT_BURST_MICROS = 100_000;
    static final long LARGEST_PACKET_MICROS = 1_000;
    /** The Ethernet header TBF counts with each packet (skb->len on the veth and the ifb). */
    static final int ETHERNET_HEADER = 14;
    /** GSO's usual largest packet. */
    static final long GSO_MAX = 65_536;
    /** The peak rate's floor, 100 Gbit/s: above what a veth carries, so it never paces. */
    static final long PEAK_FLOOR = 12_500_000_000L;
    private static final long MAX_U32 = 0xFFFF_FFFFL;
    /** burst / 8 must stay below MaxUint32 (the reference's 4 GB rule). */
    private static final long MAX_BURST = MAX_U32 - 1;

    private TbfSizing() {}

    /** A frame of {@code mtu} bytes as TBF counts it. */
    static long frame(int mtu) {
        return (long) mtu + ETHERNET_HEADER;
    }

    /** The largest packet the TBF queues whole (its peak bucket). */
    static long largestPacket(long rate, int mtu) {
        long frame = frame(mtu);
        long paced = Math.max(perMicros(rate, LARGEST_PACKET_MICROS), 2 * frame);
        return Math.max(frame, Math.min(paced, GSO_MAX));
    }

    /** The burst used when the runtime sent none. */
    static long defaultBurst(long rate, int mtu) {
        return Math.min(MAX_BURST, Math.max(perMicros(rate, DEFAULT_BURST_MICROS), largestPacket(rate, mtu)));
    }

    /** The queue limit for {@code latencyMicros} (0: the default). */
    static long limit(long rate, long burst, int mtu, long latencyMicros) {
        long latency = latencyMicros == 0 ? DEFAULT_LATENCY_MICROS : latencyMicros;
        long frame = frame(mtu);
        long wholePacket = Math.min(burst, largestPacket(rate, mtu));
        long floor = Math.max(MIN_QUEUE_FRAMES * frame, wholePacket + frame);
        return Math.min(MAX_U32, Math.max(perMicros(rate, latency), floor));
    }

    /** The peak rate: 100 Gbit/s, or twice the rate above 50 Gbit/s (the kernel wants it above the rate). */
    static long peak(long rate) {
        return Math.max(PEAK_FLOOR, 2 * rate);
    }

    /**
     * The TBF for {@code rate} and {@code burst} (bytes; 0: {@link #defaultBurst}). Every
     * parameter is set, the ones tc defaults too (mpu, overhead, link layer), so CHECK compares
     * them all.
     */
    static TcOptions tbf(long rate, long burst, int mtu, long latencyMicros) {
        long b = burst == 0 ? defaultBurst(rate, mtu) : burst;
        return QdiscTbf.options(rate, b, limit(rate, b, mtu, latencyMicros))
                .with(QdiscTbf.PEAKRATE, peak(rate))
                .with(QdiscTbf.PBURST, largestPacket(rate, mtu))
                .with(QdiscTbf.MPU, 0)
                .with(QdiscTbf.OVERHEAD, 0)
                .with(QdiscTbf.LINKLAYER, TcLinkLayer.ETHERNET);
    }

    /** The bytes {@code rate} sends in {@code micros}, exactly, saturating instead of overflowing (rates reach 2^60). */
    static long perMicros(long rate, long micros) {
        long whole = rate / 1_000_000;
        long part = rate % 1_000_000 * micros / 1_000_000;
        if (whole > (Long.MAX_VALUE - part) / micros) {
            return Long.MAX_VALUE;
        }
        return whole * micros + part;
    }
}
