/**
 * Network values: {@link dev.jcni.core.net.IpAddress}, {@link dev.jcni.core.net.IpPrefix},
 * {@link dev.jcni.core.net.IpRange} (an inclusive address pool) and
 * {@link dev.jcni.core.net.MacAddress}, immutable and without I/O.
 *
 * <p>This package depends on nothing else of jcni, so the protocol layer (results, configs), the
 * kernel layer (netlink attributes) and the plugins (address ranges, port mappings) share one
 * type per value instead of passing strings. Text forms are Go's: what {@code net.ParseIP},
 * {@code net.ParseCIDR} and {@code net.ParseMAC} accept, and what Go prints, so values read from
 * a Go plugin's output print back byte for byte. Malformed text is an
 * {@link dev.jcni.core.net.AddressFormatException} (checked), which each layer turns into its own
 * error; arithmetic past the end of the address space is an
 * {@link dev.jcni.core.net.AddressOverflowException}.
 */
package dev.jcni.core.net;
