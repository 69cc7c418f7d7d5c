package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.nft.Expr;
import dev.jcni.core.os.nft.NftModelException;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.protocol.CniException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code conditionsV4} / {@code conditionsV6}: extra matches in nft syntax, read into the nft
 * model, never pasted into a script. The reference joins the tokens and splices them into nft's
 * text input, so a config could add any statement (an {@code accept}, a {@code jump}, a rule of
 * its own); here only this grammar is accepted, and every value is checked by the model:
 *
 * <pre>
 * conditions := clause+
 * clause     := field [op] value
 * field      := ip saddr | ip daddr | ip6 saddr | ip6 daddr        (the list's own family only)
 *             | [meta] iifname | [meta] oifname | [meta] mark
 * op         := == | eq | != | ne                                   (default ==)
 * value      := literal | { literal [, literal]... }
 * literal    := an address, address/length, interface name ("quotes" optional), number (0x.. hex)
 * </pre>
 *
 * Tokens may be given one per array entry or several in one entry: the reference joins them with
 * spaces, and so does this. A list whose first token starts with {@code -} or {@code !} is
 * iptables syntax, which this plugin does not run: an unsupported field (code 2).
 */
final class Conditions {
    private final String key;
    private final IpAddress.Family family;
    private final List<String> tokens;
    private int at;

    private Conditions(String key, IpAddress.Family family, List<String> tokens) {
        this.key = key;
        this.family = family;
        this.tokens = tokens;
    }

    /** The statements of {@code entries} (the config's array under {@code key}); empty for null. */
    static List<Statement> parse(String key, IpAddress.Family family, List<String> entries) throws CniException {
        if (entries == null || entries.isEmpty()) {
            return List.of();
        }
        List<String> tokens = tokenize(entries);
        if (tokens.isEmpty()) {
            return List.of();
        }
        if (tokens.get(0).startsWith("-") || tokens.get(0).startsWith("!")) {
            throw CniException.unsupportedField(key, String.join(" ", entries),
                    "iptables syntax: this portmap uses nftables only; write the conditions in nft syntax (e.g. \"ip saddr 10.0.0.0/8\")");
        }
        Conditions c = new Conditions(key, family, tokens);
        List<Statement> out = new ArrayList<>();
        while (c.at < tokens.size()) {
            out.add(c.clause());
        }
        return List.copyOf(out);
    }

    static List<String> tokenize(List<String> entries) {
        List<String> tokens = new ArrayList<>();
        for (String entry : entries) {
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < entry.length(); i++) {
                char ch = entry.charAt(i);
                if (Character.isWhitespace(ch) || ch == '{' || ch == '}' || ch == ',') {
                    if (cur.length() > 0) {
                        tokens.add(cur.toString());
                        cur.setLength(0);
                    }
                    if (!Character.isWhitespace(ch)) {
                        tokens.add(String.valueOf(ch));
                    }
                } else {
                    cur.append(ch);
                }
            }
            if (cur.length() > 0) {
                tokens.add(cur.toString());
            }
        }
        return tokens;
    }

    private Statement clause() throws CniException {
        int start = at;
        String first = next("a field");
        Expr field;
        String kind;
        if ("ip".equals(first) || "ip6".equals(first)) {
            IpAddress.Family f = "ip".equals(first) ? IpAddress.Family.IPV4 : IpAddress.Family.IPV6;
            if (f != family) {
                throw error("'" + first + "' matches " + f + " packets; " + key + " applies to " + family + " traffic only");
            }
            String dir = next("saddr or daddr");
            if ("saddr".equals(dir)) {
                field = f == IpAddress.Family.IPV4 ? Expr.IP_SADDR : Expr.IP6_SADDR;
            } else if ("daddr".equals(dir)) {
                field = f == IpAddress.Family.IPV4 ? Expr.IP_DADDR : Expr.IP6_DADDR;
            } else {
                throw error("expected saddr or daddr after '" + first + "', got '" + dir + "'");
            }
            kind = "address";
        } else {
            String name = "meta".equals(first) ? next("iifname, oifname or mark") : first;
            if ("iifname".equals(name)) {
                field = Expr.META_IIFNAME;
                kind = "ifname";
            } else if ("oifname".equals(name)) {
                field = Expr.META_OIFNAME;
                kind = "ifname";
            } else if ("mark".equals(name)) {
                field = Expr.META_MARK;
                kind = "mark";
            } else {
                throw error("unsupported '" + name + "': the supported matches are ip/ip6 saddr/daddr, iifname, oifname, mark");
            }
        }
        Statement.Op op = Statement.Op.EQ;
        String peek = peek();
        if ("==".equals(peek) || "eq".equals(peek)) {
            at++;
        } else if ("!=".equals(peek) || "ne".equals(peek)) {
            op = Statement.Op.NE;
            at++;
        }
        Object value;
        if ("{".equals(peek())) {
            at++;
            List<Object> elements = new ArrayList<>();
            while (true) {
                elements.add(literal(kind, next("a value")));
                String sep = next("',' or '}'");
                if ("}".equals(sep)) {
                    break;
                }
                if (!",".equals(sep)) {
                    throw error("expected ',' or '}' in a set, got '" + sep + "'");
                }
            }
            value = Expr.set(elements.toArray());
        } else {
            value = literal(kind, next("a value"));
        }
        try {
            return Statement.match(field, op, value);
        } catch (NftModelException e) {
            throw error("'" + String.join(" ", tokens.subList(start, at)) + "': " + e.getMessage());
        }
    }

    private Object literal(String kind, String token) throws CniException {
        if ("{".equals(token) || "}".equals(token) || ",".equals(token)) {
            throw error("expected a value, got '" + token + "'");
        }
        String t = token;
        if ("ifname".equals(kind) && t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        if ("mark".equals(kind)) {
            try {
                return t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw error("'" + t + "' is not a mark (a number, decimal or 0x hex)");
            }
        }
        if ("address".equals(kind)) {
            int slash = t.indexOf('/');
            if (slash > 0) {
                try {
                    return Expr.prefix(t.substring(0, slash), Integer.parseInt(t.substring(slash + 1)));
                } catch (NumberFormatException e) {
                    throw error("'" + t + "' has no valid prefix length");
                }
            }
        }
        return t;
    }

    private String next(String expected) throws CniException {
        if (at >= tokens.size()) {
            throw error("ends where " + expected + " was expected");
        }
        return tokens.get(at++);
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private CniException error(String problem) {
        return new CniException(CniException.INVALID_CONFIG, "invalid \"" + key + "\": " + problem,
                "supported: ip/ip6 saddr/daddr, [meta] iifname/oifname/mark, with == or != and a value or { set }");
    }
}
