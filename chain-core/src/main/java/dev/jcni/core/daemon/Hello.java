package dev.jcni.core.daemon;

import java.util.ArrayList;
import java.util.List;

/**
 * The first message of a request: who asks (kind, build, plugin or control verb), with what
 * (argv, the environment entries as sent) and how much stdin follows.
 *
 * @param kind        {@link Wire#KIND_PLUGIN} or {@link Wire#KIND_CONTROL}
 * @param build       the sender's build identity
 * @param plugin      the plugin name, or the control verb
 * @param argv        the arguments, argv[0] included
 * @param environment entries {@code NAME=VALUE} as the launcher sends them (an entry without
 *                    {@code =} is sent as it is)
 * @param flags       {@link Wire#FLAG_SANDBOX}, {@link Wire#FLAG_STDIN_TRUNCATED}
 * @param stdinLength the stdin bytes that follow in STDIN chunks
 */
public record Hello(int kind, String build, String plugin, List<String> argv, List<String> environment, int flags,
        long stdinLength) {

    public Hello {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
    }

    public boolean hasSandbox() {
        return (flags & Wire.FLAG_SANDBOX) != 0;
    }

    public boolean stdinTruncated() {
        return (flags & Wire.FLAG_STDIN_TRUNCATED) != 0;
    }

    /** The descriptors that must come with this HELLO: none for a control request; own namespace, then the sandbox's. */
    public int expectedDescriptors() {
        if (kind == Wire.KIND_CONTROL) {
            return 0;
        }
        return hasSandbox() ? 2 : 1;
    }

    /** The message bytes (at most {@link Wire#MAX_MESSAGE}, which {@link #decode} enforces; encode does not). */
    public byte[] encode() {
        WireWriter w = new WireWriter().u32(Wire.MAGIC).u16(Wire.VERSION).u16(kind).string(build).string(plugin);
        w.u32(argv.size());
        for (String a : argv) {
            w.string(a);
        }
        w.u32(environment.size());
        for (String e : environment) {
            w.string(e);
        }
        return w.u32(flags).u64(stdinLength).toBytes();
    }

    /**
     * Reads a HELLO, checking every bound of the protocol: magic, version (reason 1), kind,
     * exact field lengths, at most {@link Wire#MAX_ENVIRONMENT} entries, known flags, a stdin
     * length of at most {@link Wire#MAX_STDIN} that is exactly that when the truncated flag is
     * set, and nothing after the last field.
     */
    public static Hello decode(byte[] message) throws ProtocolException {
        if (message.length > Wire.MAX_MESSAGE) {
            throw ProtocolException.malformed("HELLO of " + message.length + " bytes, more than " + Wire.MAX_MESSAGE);
        }
        WireReader r = new WireReader(message);
        long magic = r.u32("magic");
        if (magic != (Wire.MAGIC & 0xffffffffL)) {
            throw ProtocolException.malformed("bad magic 0x" + Long.toHexString(magic));
        }
        int version = r.u16("version");
        if (version != Wire.VERSION) {
            throw new ProtocolException(Wire.DECLINED_VERSION, "protocol version " + version + ", this daemon speaks " + Wire.VERSION);
        }
        int kind = r.u16("kind");
        if (kind != Wire.KIND_PLUGIN && kind != Wire.KIND_CONTROL) {
            throw ProtocolException.malformed("unknown kind " + kind);
        }
        String build = r.string("build");
        String plugin = r.string("plugin");
        List<String> argv = strings(r, "argv", Integer.MAX_VALUE);
        List<String> env = strings(r, "environment", Wire.MAX_ENVIRONMENT);
        long flags = r.u32("flags");
        if ((flags & ~(long) Wire.KNOWN_FLAGS) != 0) {
            throw ProtocolException.malformed("unknown flags 0x" + Long.toHexString(flags));
        }
        long stdinLength = r.u64("stdinLength", Wire.MAX_STDIN);
        r.end("HELLO");
        if ((flags & Wire.FLAG_STDIN_TRUNCATED) != 0 && stdinLength != Wire.MAX_STDIN) {
            throw ProtocolException.malformed("stdin marked truncated but " + stdinLength + " bytes long, not " + Wire.MAX_STDIN);
        }
        return new Hello(kind, build, plugin, argv, env, (int) flags, stdinLength);
    }

    /** A u32 count and that many strings; each takes at least 4 bytes, so a count beyond what is left is refused at once. */
    private static List<String> strings(WireReader r, String field, int max) throws ProtocolException {
        long count = r.u32(field + " count");
        if (count > max) {
            throw ProtocolException.malformed(field + " has " + count + " entries, at most " + max + " are allowed");
        }
        if (count > r.remaining() / 4) {
            throw ProtocolException.malformed(field + " claims " + count + " entries, the message has room for " + r.remaining() / 4);
        }
        List<String> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(r.string(field + "[" + i + "]"));
        }
        return out;
    }
}
