package dev.jcni.core.os.fs;

/**
 * What reading an untrusted file gave: {@link Kind#ABSENT} (nothing at the path),
 * {@link Kind#REFUSED} (something is there that must not be read as input, with the reason), or
 * {@link Kind#CONTENT} (its bytes).
 */
public final class FileRead {
    public enum Kind { ABSENT, REFUSED, CONTENT }

    private final Kind kind;
    private final String path;
    private final String reason;
    private final byte[] content;

    private FileRead(Kind kind, String path, String reason, byte[] content) {
        this.kind = kind;
        this.path = path;
        this.reason = reason;
        this.content = content;
    }

    public static FileRead absent(String path) {
        return new FileRead(Kind.ABSENT, path, null, null);
    }

    /** @param reason why the file is not read, for a message: "is a FIFO", "is owned by uid 65534"... */
    public static FileRead refused(String path, String reason) {
        return new FileRead(Kind.REFUSED, path, reason, null);
    }

    public static FileRead content(String path, byte[] content) {
        return new FileRead(Kind.CONTENT, path, null, content.clone());
    }

    public Kind kind() {
        return kind;
    }

    public boolean isAbsent() {
        return kind == Kind.ABSENT;
    }

    public boolean isRefused() {
        return kind == Kind.REFUSED;
    }

    public String path() {
        return path;
    }

    /** Why the file was refused; null unless {@link #isRefused()}. */
    public String reason() {
        return reason;
    }

    /** The bytes read; throws unless the kind is CONTENT. */
    public byte[] content() {
        if (kind != Kind.CONTENT) {
            throw new IllegalStateException(path + " has no content: " + this);
        }
        return content.clone();
    }

    @Override
    public String toString() {
        switch (kind) {
            case ABSENT: return path + ": absent";
            case REFUSED: return path + ": refused, " + reason;
            default: return path + ": " + content.length + " bytes";
        }
    }
}
