package dev.jcni.tuning;

import dev.jcni.core.protocol.CniException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The administrator's list of sysctls that tuning may change: one regular expression per
 * non-empty line, matched (unanchored, as the reference does) against the key as configured,
 * before IFNAME is replaced. No file means every net sysctl is allowed.
 */
public final class SysctlAllowlist {
    /** Where the reference plugin reads it; {@code allowlistFile} in the config overrides it. */
    public static final String DEFAULT_FILE = "/etc/cni/tuning/allowlist.conf";

    private final Path file;
    private final List<Pattern> patterns;

    private SysctlAllowlist(Path file, List<Pattern> patterns) {
        this.file = file;
        this.patterns = patterns;
    }

    /** Reads the file; a missing file gives an allow-everything list, a bad pattern an error. */
    public static SysctlAllowlist load(String path) throws CniException {
        Path file = Path.of(path);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new SysctlAllowlist(file, null);
        } catch (IOException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot read sysctl allowlist " + file, e.getMessage());
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                patterns.add(Pattern.compile(trimmed));
            } catch (PatternSyntaxException e) {
                throw new CniException(CniException.PLUGIN_FAILURE, "invalid pattern in sysctl allowlist " + file + ": " + trimmed,
                        e.getDescription());
            }
        }
        return new SysctlAllowlist(file, patterns);
    }

    public boolean isPresent() {
        return patterns != null;
    }

    public void check(String configuredKey) throws CniException {
        if (patterns == null) {
            return;
        }
        for (Pattern p : patterns) {
            if (p.matcher(configuredKey).find()) {
                return;
            }
        }
        List<String> shown = new ArrayList<>();
        for (Pattern p : patterns) {
            shown.add(p.pattern());
        }
        throw new CniException(CniException.INVALID_CONFIG, "Sysctl " + configuredKey + " is not allowed. Only the following sysctls are allowed: "
                + shown, "allowlist " + file);
    }
}
