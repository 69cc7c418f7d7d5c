package dev.jcni.core.skel;

/** The values of CNI_COMMAND. */
public enum Command {
    ADD, DEL, CHECK, GC, STATUS, VERSION;

    /** The command named exactly {@code value}, or null (the spec's names are upper case). */
    public static Command of(String value) {
        for (Command c : values()) {
            if (c.name().equals(value)) {
                return c;
            }
        }
        return null;
    }
}
