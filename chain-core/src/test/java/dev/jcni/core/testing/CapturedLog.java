package dev.jcni.core.testing;

import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.Skel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the plugin logs on stderr while this is open, as a run with {@code JCNI_DEBUG=1} prints
 * it (timings and INFO lines included) or, with debug off, as any run does (WARN and above). The
 * skel is what switches debug on, so a VERSION request through it sets the log up; closing puts
 * the log back as the next test expects it. Shared by the plugin modules' unit tests (chain-core's
 * test jar).
 */
public final class CapturedLog implements AutoCloseable {
    private static final Pattern TIMING = Pattern.compile("DEBUG \\+\\d+\\.\\d ms (.+)");
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final String name;
    private final CniPlugin plugin;

    /** The log of {@code plugin} (named {@code name} in its lines), with debug on or off. */
    public CapturedLog(String name, CniPlugin plugin, boolean debug) {
        this.name = name;
        this.plugin = plugin;
        configure(debug);
        Log.redirect(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    private void configure(boolean debug) {
        Map<String, String> env = debug ? Map.of("CNI_COMMAND", "VERSION", "JCNI_DEBUG", "1") : Map.of("CNI_COMMAND", "VERSION");
        new Skel(name, plugin).run(env, new byte[0]);
    }

    /** Every line so far, without the request context an earlier request through the skel may have left ("[ADD c1/eth0]"). */
    public List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String line : text.isEmpty() ? new String[0] : text.split("\n")) {
            out.add(line.replaceFirst("^([\\w-]+: [A-Z]+) \\[[^\\]]*\\]", "$1"));
        }
        return out;
    }

    /** True when a line is {@code text} at {@code level} ("INFO", "WARN"), whatever request context it names. */
    public boolean has(String level, String text) {
        for (String line : lines()) {
            if (line.equals(name + ": " + level + " " + text)) {
                return true;
            }
        }
        return false;
    }

    /** The phases of the debug timings, in order. */
    public List<String> timeline() {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            Matcher m = TIMING.matcher(line);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        configure(false);
        Log.redirect(System.err);
    }
}
