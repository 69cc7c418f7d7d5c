/**
 * Asking the kernel's routing decision: which interface a packet to an address leaves by
 * ({@link dev.jcni.core.os.routing.RouteLookup}), as {@code ip route get} answers it, over
 * rtnetlink (RTM_GETROUTE), in the calling thread's network namespace.
 *
 * <p>portmap needs it to set {@code route_localnet} on the one interface that carries
 * 127.0.0.1-sourced, DNATed traffic to a container (usually the bridge), and on no other.
 */
package dev.jcni.core.os.routing;
