package dev.jcni.core.os.nft;

/**
 * Where to start: {@code Nft.batch()} for changes, {@link ListTarget} for reading back, an
 * {@link NftRunner} to send either.
 *
 * <pre>
 * import static dev.jcni.core.os.nft.Statement.*;
 *
 * Table t = Nft.table(Family.INET, "cni_hostport");
 * Chain prerouting = t.baseChain("prerouting", Chain.Type.NAT, Chain.Hook.PREROUTING, Chain.Priority.DSTNAT);
 * NftBatch b = Nft.batch()
 *     .add(t)
 *     .add(prerouting)
 *     .flush(prerouting)
 *     .add(Rule.in(prerouting, match(Expr.FIB_DADDR_TYPE, "local"), Verdict.jump("hostports")))
 *     .build();
 * </pre>
 */
public final class Nft {
    private Nft() {}

    /** An empty batch builder. */
    public static NftBatch.Builder batch() {
        return NftBatch.builder();
    }

    /** Same as {@link Table#of}. */
    public static Table table(Family family, String name) {
        return Table.of(family, name);
    }
}
