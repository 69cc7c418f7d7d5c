package dev.jcni.core.os.socket;

import java.util.List;

/**
 * One message read from a SEQPACKET socket: its bytes, the descriptors that came with it (ours
 * to close), and whether the kernel cut anything.
 *
 * @param data             the bytes, at most the size asked for; empty when the peer closed the connection
 * @param descriptors      the SCM_RIGHTS descriptors received, in order, close-on-exec
 * @param truncated        the message was longer than the size asked for: its tail is lost
 * @param controlTruncated more descriptors came than there was room for: the kernel closed the rest
 */
public record ReceivedMessage(byte[] data, List<Descriptor> descriptors, boolean truncated, boolean controlTruncated) {
    /** A message of no bytes: what a SEQPACKET socket reads once the peer closed (or shut down) its end. */
    public boolean endOfStream() {
        return data.length == 0;
    }

    /** Closes every received descriptor (those not handed on). */
    public void closeDescriptors() {
        for (Descriptor d : descriptors) {
            d.close();
        }
    }
}
