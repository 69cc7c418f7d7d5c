package dev.jcni.core.os.nft;

import dev.jcni.core.os.Errno;

/** nft's output could not be read: not JSON, or not the shape libnftables documents (EPROTO). */
public class NftParseException extends NftException {
    public NftParseException(String message) {
        super("parse nft JSON", Errno.EPROTO, message, null, "");
    }
}
