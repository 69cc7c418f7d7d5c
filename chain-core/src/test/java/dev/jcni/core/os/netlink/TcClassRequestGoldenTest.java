package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.TcGolden.assertBytes;
import static dev.jcni.core.os.netlink.TcGolden.load;
import static dev.jcni.core.os.netlink.TcGolden.withoutOptions;

import org.junit.jupiter.api.Test;

/**
 * HTB class requests byte for byte against tc's (ifbx is index 4), tc's rate tables
 * (TCA_HTB_RTAB 4, TCA_HTB_CTAB 3) stripped. The bursts are chosen so that their transmission
 * time is a whole number of microseconds, where tc 6.1's truncating arithmetic and ours (6.15's)
 * agree; PschedTest covers where they part.
 */
class TcClassRequestGoldenTest {
    private static final int TCA_HTB_CTAB = 3;
    private static final int TCA_HTB_RTAB = 4;
    private static final Psched CLOCK = Psched.standard();
    private final FakeTransport kernel = new FakeTransport();

    private TcClasses classes(byte[] golden) {
        return new TcClasses(TcGolden.acking(kernel, golden, 1), CLOCK);
    }

    private void assertSent(byte[] golden) {
        assertBytes(withoutOptions(golden, TCA_HTB_RTAB, TCA_HTB_CTAB), kernel.sent.get(0));
    }

    @Test
    void innerClass() throws Exception {
        // tc class add dev ifbx parent 1: classid 1:1 htb rate 100mbit ceil 100mbit burst 12500 cburst 12500 quantum 60000
        byte[] golden = load("tc-htb-class-1-1");
        classes(golden).add(new TcClass(4, TcHandle.of(1, 1), TcHandle.qdisc(1),
                QdiscHtbClass.options(12_500_000, 12_500_000, 12_500, 60_000)));
        assertSent(golden);
    }

    @Test
    void leafWithCeilAboveRateAndPrio() throws Exception {
        // tc class add dev ifbx parent 1:1 classid 1:30 htb rate 10mbit ceil 20mbit burst 125000 cburst 125000 quantum 1514 prio 1
        byte[] golden = load("tc-htb-class-1-30");
        classes(golden).add(new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1),
                QdiscHtbClass.options(1_250_000, 2_500_000, 125_000, 1514).with(QdiscHtbClass.PRIO, 1L)));
        assertSent(golden);
    }

    @Test
    void rateAndCeilBeyond32Bits() throws Exception {
        // tc class add dev ifbx parent 1: classid 1:2 htb rate 100gbit ceil 100gbit burst 125000000 cburst 125000000 quantum 200000
        byte[] golden = load("tc-htb-class-1-2-rate64");
        classes(golden).add(new TcClass(4, TcHandle.of(1, 2), TcHandle.qdisc(1),
                QdiscHtbClass.options(12_500_000_000L, 12_500_000_000L, 125_000_000, 200_000)));
        assertSent(golden);
    }

    @Test
    void replaceSendsCreateOnly() throws Exception {
        // tc class replace dev ifbx parent 1:1 classid 1:30 htb rate 5mbit ceil 5mbit burst 20000 cburst 20000 quantum 3000
        byte[] golden = load("tc-htb-class-replace");
        classes(golden).replace(new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1),
                QdiscHtbClass.options(625_000, 625_000, 20_000, 3000)));
        assertSent(golden);
    }

    @Test
    void delete() throws Exception {
        // tc class del dev ifbx classid 1:99
        byte[] golden = load("tc-htb-class-del");
        classes(golden).delete(4, TcHandle.of(1, 0x99));
        assertBytes(golden, kernel.sent.get(0));
    }
}
