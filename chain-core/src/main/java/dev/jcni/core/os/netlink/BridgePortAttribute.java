package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The table of bridge-port flags ({@code IFLA_BRPORT_*}): one row per property of a link as a
 * port of a bridge, named in the words of {@code bridge link set}.
 *
 * <ul>
 *   <li>Set with {@link Links#set(int, BridgePortAttribute, Object)}: an RTM_SETLINK whose
 *       ifinfomsg family is {@code AF_BRIDGE}, the row nested in
 *       {@code IFLA_PROTINFO | NLA_F_NESTED}, as {@code bridge link set dev X hairpin on} sends it;</li>
 *   <li>read with {@link LinkInfo#get(BridgePortAttribute)}: the kernel reports the same
 *       attributes in {@code IFLA_INFO_SLAVE_DATA} of every port it describes (and in
 *       {@code IFLA_PROTINFO} of an {@code AF_BRIDGE} dump); null for a link that is no bridge port.</li>
 * </ul>
 */
public final class BridgePortAttribute<T> extends AttributeRow<T> {
    private static final List<BridgePortAttribute<?>> ROWS = new ArrayList<>();

    /** The port's STP state (0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking). */
    public static final BridgePortAttribute<Integer> STATE = row("state", 1, AttributeCodec.U8);
    /** Hairpin mode (IFLA_BRPORT_MODE): frames may leave by the port they came in on. */
    public static final BridgePortAttribute<Boolean> HAIRPIN = row("hairpin", 4, AttributeCodec.BOOLEAN_U8);
    /** BPDU guard: the port is disabled when an STP BPDU arrives on it. */
    public static final BridgePortAttribute<Boolean> GUARD = row("guard", 5, AttributeCodec.BOOLEAN_U8);
    /** Source MAC learning. */
    public static final BridgePortAttribute<Boolean> LEARNING = row("learning", 8, AttributeCodec.BOOLEAN_U8);
    /** Flooding of unicast frames to unknown destinations (IFLA_BRPORT_UNICAST_FLOOD). */
    public static final BridgePortAttribute<Boolean> FLOOD = row("flood", 9, AttributeCodec.BOOLEAN_U8);
    /** Flooding of multicast frames to unknown groups. */
    public static final BridgePortAttribute<Boolean> MCAST_FLOOD = row("mcast_flood", 27, AttributeCodec.BOOLEAN_U8);
    /** Flooding of broadcast frames. */
    public static final BridgePortAttribute<Boolean> BCAST_FLOOD = row("bcast_flood", 30, AttributeCodec.BOOLEAN_U8);
    /** Isolated: the port talks only to non-isolated ports (the reference bridge's portIsolation). */
    public static final BridgePortAttribute<Boolean> ISOLATED = row("isolated", 33, AttributeCodec.BOOLEAN_U8);

    /** Every row, in declaration order. */
    public static final List<BridgePortAttribute<?>> ALL = Collections.unmodifiableList(ROWS);

    private BridgePortAttribute(String name, int type, AttributeCodec<T> codec) {
        super(name, type, codec, ROWS.size());
        ROWS.add(this);
    }

    private static <T> BridgePortAttribute<T> row(String name, int type, AttributeCodec<T> codec) {
        return new BridgePortAttribute<>(name, type, codec);
    }
}
