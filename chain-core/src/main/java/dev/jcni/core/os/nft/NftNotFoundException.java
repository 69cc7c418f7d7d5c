package dev.jcni.core.os.nft;

/**
 * A table, chain, set, rule handle or element that a command names does not exist (ENOENT).
 */
public class NftNotFoundException extends NftException {
    public NftNotFoundException(String operation, int errno, String message, String batchJson, String errorText) {
        super(operation, errno, message, batchJson, errorText);
    }
}
