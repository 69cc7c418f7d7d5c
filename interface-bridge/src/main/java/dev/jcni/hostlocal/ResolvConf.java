package dev.jcni.hostlocal;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.fs.FileRead;
import dev.jcni.core.os.fs.UntrustedFiles;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipam.resolvConf}: a resolv.conf read into the result's {@code dns}, line by line as the
 * reference reads it: {@code nameserver} (one address per line), {@code domain} (the last one
 * wins), {@code search} and {@code options} (every word after the keyword); blank lines, lines
 * starting with {@code #} or {@code ;}, lines of one word and other keywords are skipped.
 *
 * <p>The path comes from the network config, which a tenant may write, and the plugin runs as
 * root: so the file is read only if every user of the node may read it anyway
 * ({@link UntrustedFiles#readWorldReadable}: a regular file, readable by others, in directories
 * others may enter; through symbolic links, whoever owns it, as {@code /etc/resolv.conf} usually
 * is), at most {@link #MAX_BYTES}, never waiting on a FIFO. A refused or missing file fails ADD
 * with the reason, never with any of its content.
 */
final class ResolvConf {
    /** The reference reads lines of up to 64 KiB; a resolv.conf is a few hundred bytes. */
    static final int MAX_BYTES = 64 * 1024;

    private ResolvConf() {}

    /** The file's DNS settings; code 7 when it cannot be read. */
    static Result.Dns read(String path) throws CniException {
        FileRead read;
        try {
            read = UntrustedFiles.readWorldReadable(path, MAX_BYTES);
        } catch (OsException e) {
            throw cannotRead(path, e.getMessage());
        }
        if (read.isAbsent()) {
            throw cannotRead(path, "it does not exist");
        }
        if (read.isRefused()) {
            throw cannotRead(path, "it " + read.reason());
        }
        // Go keeps invalid UTF-8 as bytes and its JSON encoder prints them as U+FFFD: decoding
        // with replacement gives the same output.
        return parse(new String(read.content(), StandardCharsets.UTF_8));
    }

    /** The DNS settings in resolv.conf text. */
    static Result.Dns parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        String domain = null;
        for (String rawLine : text.split("\n", -1)) {
            String line = GoText.trimSpace(rawLine);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            List<String> fields = GoText.fields(line);
            if (fields.size() < 2) {
                continue;
            }
            switch (fields.get(0)) {
                case "nameserver":
                    nameservers.add(fields.get(1));
                    break;
                case "domain":
                    domain = fields.get(1);
                    break;
                case "search":
                    search.addAll(fields.subList(1, fields.size()));
                    break;
                case "options":
                    options.addAll(fields.subList(1, fields.size()));
                    break;
                default:
                    break;
            }
        }
        return new Result.Dns(nameservers.isEmpty() ? null : nameservers, domain, search.isEmpty() ? null : search,
                options.isEmpty() ? null : options);
    }

    private static CniException cannotRead(String path, String why) {
        return new CniException(CniException.INVALID_CONFIG, "cannot read resolvConf \"" + path + "\": " + why,
                "resolvConf must name a regular file every user of the node may read, at most " + MAX_BYTES + " bytes");
    }
}
