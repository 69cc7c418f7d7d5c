package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The table of a bridge's own options: the rows of {@code IFLA_INFO_DATA} in the
 * {@code IFLA_LINKINFO} of a link of kind {@code bridge} ({@code IFLA_BR_*}). A bridge is created
 * with them ({@link NewLink#set(BridgeAttribute, Object)}) and a bridge read back reports them
 * ({@link LinkInfo#get(BridgeAttribute)}); names are the words of {@code ip link add type bridge}.
 *
 * <p>A kernel built without bridge VLAN filtering refuses {@link #VLAN_FILTERING} on with
 * EOPNOTSUPP; it reports vlan_filtering (always off) but no {@link #DEFAULT_PVID}.
 */
public final class BridgeAttribute<T> extends AttributeRow<T> {
    private static final List<BridgeAttribute<?>> ROWS = new ArrayList<>();

    static final int IFLA_BR_VLAN_FILTERING = 7;
    static final int IFLA_BR_VLAN_DEFAULT_PVID = 39;

    /** VLAN filtering: ports pass only the VLANs of their {@link BridgeVlan} entries. */
    public static final BridgeAttribute<Boolean> VLAN_FILTERING =
            row("vlan_filtering", IFLA_BR_VLAN_FILTERING, AttributeCodec.BOOLEAN_U8);
    /** The VLAN a new port gets as PVID, untagged (1 unless changed; 0: none). */
    public static final BridgeAttribute<Integer> DEFAULT_PVID =
            row("vlan_default_pvid", IFLA_BR_VLAN_DEFAULT_PVID, AttributeCodec.U16);

    /** Every row, in declaration order. */
    public static final List<BridgeAttribute<?>> ALL = Collections.unmodifiableList(ROWS);

    private BridgeAttribute(String name, int type, AttributeCodec<T> codec) {
        super(name, type, codec, ROWS.size());
        ROWS.add(this);
    }

    private static <T> BridgeAttribute<T> row(String name, int type, AttributeCodec<T> codec) {
        return new BridgeAttribute<>(name, type, codec);
    }
}
