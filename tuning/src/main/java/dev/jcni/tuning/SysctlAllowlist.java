package dev.jcni.tuning;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.os.fs.UntrustedFiles;
import dev.jcni.core.protocol.CniException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The node administrator's list of sysctls that tuning may change: one regular expression per
 * non-empty line, matched (unanchored, as the reference does) against the key as configured,
 * before IFNAME is replaced. No file means every net sysctl is allowed.
 *
 * <p>Its location is node policy ({@link TuningDefaults#allowlist}), never the network config's.
 * It is read as untrusted input all the same: a regular file of root's, bounded, never a FIFO
 * or device that would hang or exhaust the plugin; and an error quotes at most the start of the
 * offending line, never the file.
 */
final class SysctlAllowlist {
    /** How much of a bad line an error shows. */
    static final int SHOWN_LINE_MAX = 100;

    private final String file;
    private final List<Pattern> patterns;

    private SysctlAllowlist(String file, List<Pattern> patterns) {
        this.file = file;
        this.patterns = patterns;
    }

    /** Reads the file; a missing file gives an allow-everything list, anything unusable an error. */
    static SysctlAllowlist load(String file) throws CniException {
        FileRead read;
        try {
            read = UntrustedFiles.read(file, TuningDefaults.MAX_FILE_BYTES);
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot read sysctl allowlist " + file, e.getMessage());
        }
        if (read.isAbsent()) {
            return new SysctlAllowlist(file, null);
        }
        if (read.isRefused()) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot read sysctl allowlist " + file,
                    "the file " + read.reason());
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String line : new String(read.content(), StandardCharsets.UTF_8).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                patterns.add(Pattern.compile(trimmed));
            } catch (PatternSyntaxException e) {
                String shown = trimmed.length() > SHOWN_LINE_MAX ? trimmed.substring(0, SHOWN_LINE_MAX) + "..." : trimmed;
                throw new CniException(CniException.PLUGIN_FAILURE, "invalid pattern in sysctl allowlist " + file + ": " + shown,
                        e.getDescription());
            }
        }
        return new SysctlAllowlist(file, patterns);
    }

    boolean isPresent() {
        return patterns != null;
    }

    void check(String configuredKey) throws CniException {
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
