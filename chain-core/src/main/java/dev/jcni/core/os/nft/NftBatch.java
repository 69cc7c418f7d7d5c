package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands that nftables applies as one transaction: all of them or none. Built with
 * {@link Nft#batch()}:
 *
 * <pre>
 * Table t = Table.of(Family.INET, "cni_hostport");
 * Chain own = t.chain("cnihp-3f9a1c2b7d4e6a80");
 * NftBatch batch = Nft.batch()
 *     .add(t)
 *     .add(own)
 *     .flush(own)
 *     .add(Rule.in(own, match(Expr.META_NFPROTO, "ipv4"), match(Expr.TCP_DPORT, 8080), dnat("10.0.0.2", 80)))
 *     .build();
 * runner.apply(batch);   // {"nftables":[{"add":{"table":...}}, ...]}
 * </pre>
 */
public final class NftBatch {
    private final List<NftCommand> commands;

    private NftBatch(List<NftCommand> commands) {
        this.commands = List.copyOf(commands);
    }

    public List<NftCommand> commands() {
        return commands;
    }

    public int size() {
        return commands.size();
    }

    public boolean isEmpty() {
        return commands.isEmpty();
    }

    /** {@code {"nftables":[...]}}, a copy the caller may change. */
    public ObjectNode toTree() {
        return tree().deepCopy();
    }

    private ObjectNode tree() {
        ArrayNode list = NftJson.array();
        for (NftCommand c : commands) {
            list.add(c.tree());
        }
        return NftJson.wrap("nftables", list);
    }

    /** The document libnftables and {@code nft -j -f -} read. */
    public String toJson() {
        return NftJson.write(tree());
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Collects commands in order; each is checked as it is added. */
    public static final class Builder {
        private final List<NftCommand> commands = new ArrayList<>();

        Builder() {}

        /** Create, or leave alone if it exists (tables, chains, sets: same definition; elements: same data). */
        public Builder add(NftObject object) {
            return command(Verb.ADD, object);
        }

        /** Create; fail the batch (EEXIST) if it exists. */
        public Builder create(NftObject object) {
            return command(Verb.CREATE, object);
        }

        /** A rule at the head of its chain, or before the rule with its handle. */
        public Builder insert(Rule rule) {
            return command(Verb.INSERT, rule);
        }

        /** The rule with {@code rule.handle()} replaced by {@code rule}. */
        public Builder replace(Rule rule) {
            return command(Verb.REPLACE, rule);
        }

        /** Delete; fails the batch (ENOENT) if it does not exist (nft 1.0.6 has no destroy). */
        public Builder delete(NftObject object) {
            return command(Verb.DELETE, object);
        }

        /** Empty a table's chains, a chain's rules, or a set's elements. */
        public Builder flush(NftObject object) {
            return command(Verb.FLUSH, object);
        }

        public Builder command(Verb verb, NftObject object) {
            commands.add(new NftCommand(verb, object));
            return this;
        }

        public int size() {
            return commands.size();
        }

        public NftBatch build() {
            return new NftBatch(commands);
        }
    }

    static Builder builder() {
        return new Builder();
    }
}
