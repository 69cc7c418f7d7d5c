/**
 * Connection tracking over netfilter netlink (NETLINK_NETFILTER, ctnetlink): reading entries
 * and deleting the ones a filter selects, in the calling thread's network namespace.
 *
 * <p>portmap needs it: a UDP or SCTP "connection" to a hostPort is an entry that outlives the
 * DNAT rule that made it, so after a mapping is added, taken over or removed, packets of a
 * stale flow would keep going to the old destination (or nowhere) until the entry expires.
 * {@link dev.jcni.core.os.conntrack.Conntrack#delete} removes them.
 *
 * <p>The messages are built and read in pure Java ({@link dev.jcni.core.os.conntrack.ConntrackMessages},
 * tested as golden bytes) on the netlink message builder and reader of {@code os.netlink}; the
 * socket and its request and dump exchanges are {@link dev.jcni.core.os.netlink.RtNetlink}'s,
 * opened for NETLINK_NETFILTER. Deletion works as the reference's Go netlink library does it, on every
 * kernel: dump the table of one family, select in Java, delete each selected entry by its
 * original tuple (an entry that went away meanwhile is not an error).
 */
package dev.jcni.core.os.conntrack;
