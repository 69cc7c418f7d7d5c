package dev.jcni.core.os.nft;

/**
 * An object is still referenced (EBUSY): a chain that a rule or map element jumps to, a set a rule
 * looks up.
 */
public class NftBusyException extends NftException {
    public NftBusyException(String operation, int errno, String message, String batchJson, String errorText) {
        super(operation, errno, message, batchJson, errorText);
    }
}
