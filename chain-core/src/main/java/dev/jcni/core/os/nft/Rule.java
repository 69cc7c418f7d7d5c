package dev.jcni.core.os.nft;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A rule: statements run in order in a chain, an optional comment (kept by nft 1.0.6, unlike
 * table and chain comments), and the handle the kernel gave it (from a listing, or set by
 * {@link #withHandle} to delete, replace or position a rule).
 *
 * <pre>
 * Rule r = Rule.in(chain,
 *         Statement.match(Expr.META_NFPROTO, "ipv4"),
 *         Statement.match(Expr.TCP_DPORT, 8080),
 *         Statement.dnat("10.0.0.2", 80))
 *     .withComment("a1b2c3d4e5f6/eth0");
 * </pre>
 */
public final class Rule extends NftObject {
    private final Chain chain;
    private final List<Statement> statements;
    private final String comment;
    private final Long handle;

    private Rule(Chain chain, List<Statement> statements, String comment, Long handle) {
        this.chain = chain;
        this.statements = statements;
        this.comment = comment;
        this.handle = handle;
    }

    public static Rule in(Chain chain, Statement... statements) {
        return in(chain, List.of(statements));
    }

    /**
     * A rule of {@code chain}. Checks what nft would refuse or silently get wrong: no statements,
     * statements after a verdict, NAT in a table of the wrong family, a NAT port with no transport
     * protocol matched before it ("transport protocol mapping is only valid after transport
     * protocol match").
     */
    public static Rule in(Chain chain, List<Statement> statements) {
        Objects.requireNonNull(chain, "chain");
        if (statements.isEmpty()) {
            throw new NftModelException("a rule needs at least one statement");
        }
        List<Statement> adapted = new ArrayList<>(statements.size());
        boolean transport = false;
        for (int i = 0; i < statements.size(); i++) {
            Statement s = Objects.requireNonNull(statements.get(i), "statement");
            if (i > 0 && statements.get(i - 1) instanceof Verdict) {
                throw new NftModelException("statement " + s + " follows verdict " + statements.get(i - 1) + " and would never run");
            }
            if (s.needsTransportMatch() && !transport) {
                throw new NftModelException(s + " maps a port, so the rule must first match a transport protocol"
                        + " (meta l4proto, tcp dport, ...)");
            }
            transport |= s.matchesTransport();
            adapted.add(s.inTable(chain.table().family()));
        }
        return new Rule(chain, Collections.unmodifiableList(adapted), null, null);
    }

    /** A rule as nft listed it: trusted as it is. */
    static Rule listed(Chain chain, List<Statement> statements, String comment, Long handle) {
        return new Rule(chain, Collections.unmodifiableList(new ArrayList<>(statements)), comment, handle);
    }

    /** This rule with a comment: at most 128 bytes, no control character, no {@code "} (see {@link NftNames#comment}). */
    public Rule withComment(String newComment) {
        return new Rule(chain, statements, NftNames.comment(newComment), handle);
    }

    /** This rule naming the kernel's handle: for delete and replace, or to add after / insert before that rule. */
    public Rule withHandle(long newHandle) {
        if (newHandle <= 0) {
            throw new NftModelException("a rule handle is positive, got " + newHandle);
        }
        return new Rule(chain, statements, comment, newHandle);
    }

    public Chain chain() {
        return chain;
    }

    public List<Statement> statements() {
        return statements;
    }

    /** Null when the rule has none. */
    public String comment() {
        return comment;
    }

    /** Null unless listed or set with {@link #withHandle}. */
    public Long handle() {
        return handle;
    }

    /** Same chain, statements and comment; the handle is ignored (a generated rule has none). */
    public boolean sameContent(Rule other) {
        return chain.equals(other.chain) && statements.equals(other.statements) && Objects.equals(comment, other.comment);
    }

    @Override
    public String kind() {
        return "rule";
    }

    @Override
    ObjectNode toJson(Verb verb) {
        ObjectNode o = NftJson.object();
        o.put("family", chain.table().family().jsonName());
        o.put("table", chain.table().name());
        o.put("chain", chain.name());
        if (handle != null) {
            o.set("handle", NftJson.number(handle));
        }
        if (verb == Verb.DELETE) {
            return o;
        }
        if (comment != null) {
            o.put("comment", comment);
        }
        ArrayNode expr = NftJson.array();
        for (Statement s : statements) {
            expr.add(s.json);
        }
        o.set("expr", expr);
        return o;
    }

    @Override
    void checkVerb(Verb verb) {
        if (verb == Verb.CREATE || verb == Verb.FLUSH) {
            throw new NftModelException("nft has no '" + verb.jsonName() + " rule'");
        }
        if ((verb == Verb.DELETE || verb == Verb.REPLACE) && handle == null) {
            throw new NftModelException(verb.jsonName() + " rule needs the rule's handle (from a listing)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule && sameContent((Rule) o) && Objects.equals(handle, ((Rule) o).handle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(chain, statements, comment, handle);
    }
}
