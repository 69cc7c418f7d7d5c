package dev.jcni.core.os.netlink;

/**
 * Address and route scopes (rtm_scope, ifa_scope: enum rt_scope_t), with the names
 * {@code ip} prints and accepts.
 */
public final class Scope {
    /** Global: anywhere ("global" in {@code ip address}, "universe" in {@code ip route}). */
    public static final int UNIVERSE = 0;
    public static final int SITE = 200;
    /** On the link only: a directly connected route, an IPv6 link-local address. */
    public static final int LINK = 253;
    /** On this host only: 127.0.0.0/8, local routes. */
    public static final int HOST = 254;
    /** Nowhere: a route to no destination; in a delete request, any scope. */
    public static final int NOWHERE = 255;

    private Scope() {}

    /** "global", "site", "link", "host", "nowhere", or the number. */
    public static String name(int scope) {
        switch (scope) {
            case UNIVERSE:
                return "global";
            case SITE:
                return "site";
            case LINK:
                return "link";
            case HOST:
                return "host";
            case NOWHERE:
                return "nowhere";
            default:
                return Integer.toString(scope);
        }
    }
}
