package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.nft.FakeRuleset.FChain;
import dev.jcni.core.os.nft.FakeRuleset.FSet;
import dev.jcni.core.os.nft.FakeRuleset.FTable;
import java.util.ArrayList;
import java.util.List;

/**
 * A test double: an in-memory nftables ruleset with nft 1.0.6's semantics for the commands the
 * model produces. It lives in main code so the unit tests of every plugin module can use it;
 * production code never offers its {@link #backend()} to {@link NftRunners#choose}.
 *
 * <ul>
 *   <li>A batch applies wholly or not at all; like the kernel, every command of a failing batch
 *       is tried and each failure reported, with nft's own error text, so the exceptions are
 *       the ones the real runners raise ({@link NftErrors}).</li>
 *   <li>add is idempotent for tables, chains and sets; create of an existing one is EEXIST; an
 *       element key already mapped to other data is EEXIST, to the same data a no-op that keeps
 *       the first comment; deleting anything missing is ENOENT; deleting a chain a rule or map
 *       element still jumps to, or a set a rule looks up, is EBUSY; a changed hook or priority
 *       of a base chain is EOPNOTSUPP, a changed policy is applied; jump or goto to a missing
 *       chain is ENOENT, to a base chain EOPNOTSUPP.</li>
 *   <li>Rules get handles from one counter per table, shared with chains and sets, with a
 *       handle used up by each anonymous set in a rule, as in the kernel; add/insert honour a
 *       handle or index position; replace keeps the handle.</li>
 *   <li>{@link #list} answers in nft's JSON shape and order; set elements are sorted as nft
 *       sorts them.</li>
 *   <li>Every batch submitted is recorded ({@link #batches()}) for golden tests; dry runs
 *       ({@link #check}) are checked the same way and never committed ({@link #checks()}).</li>
 * </ul>
 *
 * Not modelled: checks nft does while evaluating the batch (statement types, hook
 * restrictions such as dnat outside prerouting/output, which the kernel reports only at
 * commit), type checking of element values (the model does that), interval overlap, jump
 * loops, timeouts, counters that count.
 */
public final class FakeNftRunner implements NftRunner {
    private FakeRuleset state = new FakeRuleset();
    private final List<String> batches = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();

    @Override
    public void apply(NftBatch batch) throws NftException {
        applyJson(batch.toJson());
    }

    /** A dry run: checked as {@link #apply} would, never committed, and not recorded in {@link #batches()} (it changes nothing). */
    @Override
    public synchronized void check(NftBatch batch) throws NftException {
        checks.add(batch.toJson());
        run(batch.toJson(), true);
    }

    /** Applies a raw JSON batch, e.g. a file from a test's resources. */
    public synchronized void applyJson(String json) throws NftException {
        batches.add(json);
        run(json, false);
    }

    private void run(String json, boolean dryRun) throws NftException {
        String operation = dryRun ? "nft check" : "nft apply";
        JsonNode list;
        try {
            list = NftJson.parse(json).path("nftables");
        } catch (NftParseException e) {
            throw NftErrors.fromErrorText(operation, json, "internal:0:0-0: Error: " + e.getMessage() + "\n\n");
        }
        if (!list.isArray()) {
            throw NftErrors.fromErrorText(operation, json, "internal:0:0-0: Error: No 'nftables' array in JSON input.\n\n");
        }
        operation = dryRun ? NftJsonRunner.checkOperation(list.size()) : NftJsonRunner.applyOperation(list.size());
        FakeRuleset work = state.copy();
        StringBuilder errors = new StringBuilder();
        for (JsonNode command : list) {
            String problem = applyOne(work, command);
            if (problem != null) {
                errors.append(problem);
            }
        }
        if (errors.length() > 0) {
            throw NftErrors.fromErrorText(operation, json, errors.toString());
        }
        if (!dryRun) {
            state = work;
        }
    }

    /** Null, or nft's error text for this command. */
    private static String applyOne(FakeRuleset work, JsonNode command) {
        if (!command.isObject() || command.size() != 1) {
            return "internal:0:0-0: Error: Malformed command object.\n\n";
        }
        String verbName = command.fieldNames().next();
        Verb verb = null;
        for (Verb v : Verb.values()) {
            if (v.jsonName().equals(verbName)) {
                verb = v;
            }
        }
        JsonNode object = command.get(verbName);
        if (verb == null || !object.isObject() || object.size() != 1) {
            return "internal:0:0-0: Error: Unknown object passed to add command.\n\n";
        }
        String kind = object.fieldNames().next();
        JsonNode body = object.get(kind);
        int errno;
        switch (kind) {
            case "table":
                errno = work.table(verb, body);
                break;
            case "chain":
                errno = work.chain(verb, body);
                break;
            case "rule":
                errno = FakeSetsAndRules.rule(work, verb, body);
                break;
            case "set":
            case "map":
                errno = FakeSetsAndRules.set(work, verb, body, "map".equals(kind));
                break;
            case "element":
                errno = FakeSetsAndRules.element(work, verb, body);
                break;
            default:
                return "internal:0:0-0: Error: Unknown object passed to " + verbName + " command.\n\n";
        }
        return errno == 0 ? null : NftErrors.kernelError(errno);
    }

    @Override
    public synchronized NftListing list(ListTarget target) throws NftException {
        return NftListing.parse(listJson(target));
    }

    /** What {@code nft -j list ...} would print for {@code target}. */
    public synchronized String listJson(ListTarget target) throws NftException {
        ArrayNode out = NftJson.array().add(FakeListing.metainfo());
        JsonNode id = target.object() == null ? null : target.object().toJson(Verb.DELETE);
        switch (target.kind()) {
            case "ruleset":
                for (FTable t : state.tables.values()) {
                    FakeListing.table(t, out);
                }
                break;
            case "table": {
                FTable t = state.tables.get(FakeRuleset.key(id.path("family").asText(), id.path("name").asText()));
                if (t == null) {
                    throw notFound(target);
                }
                FakeListing.table(t, out);
                break;
            }
            case "chain": {
                FTable t = state.table(id, "table");
                FChain c = t == null ? null : t.chains.get(id.path("name").asText());
                if (c == null) {
                    throw notFound(target);
                }
                out.add(FakeListing.chain(t, c));
                FakeListing.rules(t, c, out);
                break;
            }
            default: {
                FTable t = state.table(id, "table");
                FSet s = t == null ? null : t.sets.get(id.path("name").asText());
                if (s == null || s.map != "map".equals(target.kind())) {
                    throw notFound(target);
                }
                out.add(FakeListing.set(t, s));
            }
        }
        return NftJson.write(NftJson.wrap("nftables", out));
    }

    private static NftException notFound(ListTarget target) {
        return NftErrors.fromErrorText(target.describe(), target.toJson(), NftErrors.listError(Errno.ENOENT));
    }

    /** Every batch submitted so far (applied or refused), as the JSON a real runner would send. */
    public synchronized List<String> batches() {
        return List.copyOf(batches);
    }

    /** Every dry run submitted so far ({@link #check}), as JSON. */
    public synchronized List<String> checks() {
        return List.copyOf(checks);
    }

    /** A backend named {@code "fake"} that is always available and opens this runner. */
    public NftBackend backend() {
        FakeNftRunner self = this;
        return new NftBackend() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public String unavailabilityCause() {
                return null;
            }

            @Override
            public NftRunner open() {
                return self;
            }
        };
    }
}
