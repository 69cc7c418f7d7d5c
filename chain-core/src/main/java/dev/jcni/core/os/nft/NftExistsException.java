package dev.jcni.core.os.nft;

/**
 * An object or set element already exists (EEXIST): a `create` of an existing object, an element
 * key already mapped to a different value, a base chain redefined with another type.
 */
public class NftExistsException extends NftException {
    public NftExistsException(String operation, int errno, String message, String batchJson, String errorText) {
        super(operation, errno, message, batchJson, errorText);
    }
}
