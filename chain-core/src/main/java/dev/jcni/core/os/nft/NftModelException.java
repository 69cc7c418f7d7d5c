package dev.jcni.core.os.nft;

/**
 * A value the nftables model refuses: a name nft could not print back, a comment longer than
 * nft's 128 bytes, a value of the wrong type for the field it is compared with, a command nft
 * 1.0.6 does not have. Thrown while a batch is being built, before anything reaches the kernel.
 *
 * <p>Values from configuration (names, comments, addresses, interface names) pass through the
 * model's factories, which are what stop a configuration from smuggling in other statements; a
 * plugin reports this exception as invalid configuration.
 */
public class NftModelException extends IllegalArgumentException {
    public NftModelException(String message) {
        super(message);
    }
}
