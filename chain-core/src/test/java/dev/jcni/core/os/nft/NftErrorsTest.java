package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Classification of error texts captured from nft 1.0.6. */
class NftErrorsTest {
    private static NftException classify(String text) {
        return NftErrors.fromErrorText("nft apply (3 commands)", "{\"nftables\":[]}", text);
    }

    @Test
    void kernelErrors() {
        NftException exists = classify("internal:0:0-0: Error: Could not process rule: File exists\n\n");
        assertInstanceOf(NftExistsException.class, exists);
        assertEquals(Errno.EEXIST, exists.errno());
        assertEquals("nft apply (3 commands)", exists.operation());
        assertEquals("{\"nftables\":[]}", exists.batchJson());
        assertEquals("nft apply (3 commands): Could not process rule: File exists (EEXIST)", exists.getMessage());
        assertInstanceOf(NftBusyException.class, classify("internal:0:0-0: Error: Could not process rule: Device or resource busy\n\n"));
        assertInstanceOf(NftNotFoundException.class, classify("internal:0:0-0: Error: Could not process rule: No such file or directory\n\n"));
        NftException unsupported = classify("internal:0:0-0: Error: Could not process rule: Operation not supported\n\n");
        assertEquals(NftException.class, unsupported.getClass());
        assertEquals(Errno.EOPNOTSUPP, unsupported.errno());
        NftException loop = classify("internal:0:0-0: Error: Could not process rule: Too many links\n\n");
        assertEquals(31, loop.errno());
        assertEquals("nft apply (3 commands): Could not process rule: Too many links (EMLINK)", loop.getMessage());
        assertInstanceOf(OsException.class, loop);
    }

    @Test
    void evaluationAndListErrors() {
        NftException missing = classify("internal:0:0-0: Error: No such file or directory; did you mean chain \u2018t1\u2019 in table inet"
                + " \u2018cni_hostport\u2019?\n\n");
        assertInstanceOf(NftNotFoundException.class, missing);
        assertInstanceOf(NftNotFoundException.class, classify("Error: No such file or directory\nlist table inet nosuch\n"
                + "                ^^^^^^\n"));
    }

    @Test
    void inputNftCouldNotReadIsInvalid() {
        NftException e = classify("internal:0:0-0: Error: Unknown object passed to add command.\n\n"
                + "internal:0:0-0: Error: Parsing command array at index 0 failed.\n\n");
        assertEquals(NftException.class, e.getClass());
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("nft apply (3 commands): Unknown object passed to add command. (EINVAL) and 1 more error", e.getMessage());
        assertEquals(List.of("Unknown object passed to add command.", "Parsing command array at index 0 failed."),
                NftErrors.messages(e.errorText()));
    }

    @Test
    void severalErrorsTheFirstStrerrorDecides() {
        NftException e = classify("internal:0:0-0: Error: Could not process rule: No such file or directory\n\n"
                + "internal:0:0-0: Error: Could not process rule: File exists\n\n"
                + "internal:0:0-0: Error: Could not process rule: File exists\n\n");
        assertInstanceOf(NftNotFoundException.class, e);
        assertEquals("nft apply (3 commands): Could not process rule: No such file or directory (ENOENT) and 2 more errors", e.getMessage());
    }

    @Test
    void emptyOrUnstructuredText() {
        NftException none = classify("");
        assertEquals(Errno.EINVAL, none.errno());
        assertEquals("nft apply (3 commands): nft failed without an error message (EINVAL)", none.getMessage());
        assertEquals("", classify(null).errorText());
        assertEquals(List.of("cannot open socket"), NftErrors.messages("netlink: Error: cannot open socket\n"));
        assertEquals(List.of("segfault"), NftErrors.messages("segfault\n"), "text without a message still says something");
    }
}
