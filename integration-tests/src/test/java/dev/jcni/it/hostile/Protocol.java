package dev.jcni.it.hostile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a target answers, and the checks on every answer. Read with a parser of the test's own
 * (strict: one document, UTF-8, no repeated keys), never the project's.
 *
 * <ul>
 *   <li>{@link #PLUGIN}: a CNI plugin. Exit 0 or 1 and nothing else; on 1, stdout is exactly one
 *       error object ({@code code}, {@code msg}, optional {@code details} and
 *       {@code cniVersion}); on 0, ADD prints one result object, VERSION one version object, and
 *       every other verb nothing.</li>
 *   <li>{@link #CNICTL}: a runtime's command line (cnitool's contract). Exit 0, 1 or 2; on 1 the
 *       error, with its code on a {@code "  code: N"} line, goes to stderr and stdout stays empty;
 *       on 2 (usage) likewise; on 0, {@code add} prints one result object.</li>
 * </ul>
 *
 * For both: no Java stack trace on stderr (that is a bug surfacing), and no output holds
 * {@link Workspace#SECRET_MARKER} (an error echoing a host file is a read of it).
 */
enum Protocol {
    PLUGIN {
        @Override
        Answer read(HostileCase c, int exit, byte[] stdout, String stderr, List<String> problems) {
            if (exit != 0 && exit != 1) {
                problems.add("exit code " + exit + ": a plugin exits 0 or 1" + (exit == 137 ? " (killed: it hung)" : ""));
                return Answer.BROKEN;
            }
            if (exit == 1) {
                JsonNode e = oneDocument(stdout, problems);
                return e == null ? Answer.BROKEN : errorObject(e, problems);
            }
            switch (c.verb()) {
                case "ADD" -> requireResult(stdout, problems);
                case "VERSION" -> {
                    JsonNode v = oneDocument(stdout, problems);
                    if (v != null && !(v.path("supportedVersions").isArray() && v.path("cniVersion").isTextual())) {
                        problems.add("VERSION answered no version object: " + v);
                    }
                }
                default -> {
                    if (stdout.length > 0) {
                        problems.add(c.verb() + " succeeded but printed " + stdout.length + " bytes on stdout: " + text(stdout));
                    }
                }
            }
            return Answer.SUCCESS;
        }
    },
    CNICTL {
        private final Pattern codeLine = Pattern.compile("(?m)^  code: (-?\\d+)$");

        @Override
        Answer read(HostileCase c, int exit, byte[] stdout, String stderr, List<String> problems) {
            if (exit == 1 || exit == 2) {
                if (stdout.length > 0) {
                    problems.add("failed (exit " + exit + ") but printed on stdout: " + text(stdout));
                }
                if (exit == 2) {
                    if (!stderr.contains("Run 'cnictl help' for usage.")) {
                        problems.add("exit 2 without the usage hint on stderr");
                    }
                    return Answer.usage();
                }
                Matcher m = codeLine.matcher(stderr);
                Integer code = null;
                while (m.find()) {
                    code = Integer.parseInt(m.group(1));
                }
                if (code == null) {
                    problems.add("exit 1 without a \"  code: N\" line on stderr");
                    return Answer.BROKEN;
                }
                return Answer.error(code);
            }
            if (exit != 0) {
                problems.add("exit code " + exit + ": cnictl exits 0, 1 or 2" + (exit == 137 ? " (killed: it hung)" : ""));
                return Answer.BROKEN;
            }
            if (c.verb().equals("add")) {
                requireResult(stdout, problems);
            } else if (stdout.length > 0 && !c.verb().equals("version") && !c.verb().equals("help")) {
                problems.add(c.verb() + " succeeded but printed on stdout: " + text(stdout));
            }
            return Answer.SUCCESS;
        }
    };

    /** What the process answered: success, an error with a code, a usage error, or nothing valid. */
    record Answer(Kind kind, int code) {
        enum Kind { SUCCESS, ERROR, USAGE, BROKEN }

        static final Answer SUCCESS = new Answer(Kind.SUCCESS, 0);
        static final Answer BROKEN = new Answer(Kind.BROKEN, -1);

        static Answer error(int code) {
            return new Answer(Kind.ERROR, code);
        }

        static Answer usage() {
            return new Answer(Kind.USAGE, 2);
        }

        boolean succeeded() {
            return kind == Kind.SUCCESS;
        }
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> ERROR_KEYS = Set.of("cniVersion", "code", "msg", "details");
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(|Exception in thread");

    /** Reads the answer, adding a problem for anything off the protocol. */
    abstract Answer read(HostileCase c, int exit, byte[] stdout, String stderr, List<String> problems);

    /** Checks common to every target. */
    static void checkCommon(byte[] stdout, String stderr, List<String> problems) {
        String out = new String(stdout, StandardCharsets.UTF_8);
        if (out.contains(Workspace.SECRET_MARKER) || stderr.contains(Workspace.SECRET_MARKER)) {
            problems.add("the output holds the content of a host file (" + Workspace.SECRET_MARKER + ")");
        }
        Matcher m = STACK_FRAME.matcher(stderr);
        if (m.find()) {
            problems.add("a Java stack trace on stderr: " + Shown.cut(stderr.substring(Math.max(0, m.start() - 200))));
        }
    }

    /** Exactly one JSON document, in UTF-8, with no repeated key; null (and a problem) otherwise. */
    static JsonNode oneDocument(byte[] stdout, List<String> problems) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(stdout));
        } catch (CharacterCodingException e) {
            problems.add("stdout is not UTF-8: " + text(stdout));
            return null;
        }
        try {
            JsonNode n = STRICT.readTree(stdout);
            if (n == null || n.isMissingNode()) {
                problems.add("stdout is empty, where one JSON document belongs");
                return null;
            }
            return n;
        } catch (IOException e) {
            problems.add("stdout is not exactly one JSON document (" + Shown.cut(String.valueOf(e.getMessage()), 120) + "): " + text(stdout));
            return null;
        }
    }

    private static Answer errorObject(JsonNode e, List<String> problems) {
        if (!e.isObject()) {
            problems.add("the error is not a JSON object: " + e);
            return Answer.BROKEN;
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ERROR_KEYS.contains(k)) {
                problems.add("the error has the unexpected key \"" + k + "\"");
            }
        }
        if (!e.path("code").isInt()) {
            problems.add("the error has no integer code: " + e);
            return Answer.BROKEN;
        }
        if (!e.path("msg").isTextual() || e.path("msg").asText().isBlank()) {
            problems.add("the error has no message: " + e);
        }
        if (e.has("details") && !e.get("details").isTextual()) {
            problems.add("the error's details are not a string: " + e);
        }
        if (e.has("cniVersion") && !e.get("cniVersion").isTextual()) {
            problems.add("the error's cniVersion is not a string: " + e);
        }
        return Answer.error(e.path("code").asInt());
    }

    private static void requireResult(byte[] stdout, List<String> problems) {
        JsonNode r = oneDocument(stdout, problems);
        if (r == null) {
            return;
        }
        if (!r.isObject() || !r.path("cniVersion").isTextual() || r.has("code")) {
            problems.add("ADD succeeded without a result object: " + text(stdout));
        }
    }

    static String text(byte[] b) {
        return Shown.cut(new String(b, StandardCharsets.UTF_8), 400);
    }

    static List<String> newProblems() {
        return new ArrayList<>();
    }
}
