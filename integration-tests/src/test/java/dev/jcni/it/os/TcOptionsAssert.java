package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcni.core.os.netlink.ActionMirred;
import dev.jcni.core.os.netlink.TcOptions;

/** Assertions on decoded tc options shared by the tc kernel tests. */
final class TcOptionsAssert {
    private TcOptionsAssert() {}

    static void mirred(TcOptions action, ActionMirred.Mode mode, int target, int verdict, int index) {
        assertEquals(ActionMirred.KIND, action.kind());
        assertEquals(mode, action.get(ActionMirred.MODE));
        assertEquals(target, action.get(ActionMirred.TARGET));
        assertEquals(verdict, action.get(ActionMirred.VERDICT));
        assertEquals(index, action.get(ActionMirred.INDEX));
    }
}
