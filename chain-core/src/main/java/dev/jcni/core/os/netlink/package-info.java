/**
 * An rtnetlink client: links, bridge ports and VLANs, addresses and routes, in the network
 * namespace of the socket ({@link dev.jcni.core.os.netlink.RtNetlink#open} opens one in the
 * calling thread's namespace; open it inside {@code NetNs.run} for a sandbox, then use it from
 * any thread).
 *
 * <h2>What there is</h2>
 * <pre>
 * try (RtNetlink nl = RtNetlink.open()) {
 *     Links links = new Links(nl);
 *     LinkInfo br = links.create(NewLink.bridge("cni0").set(LinkAttribute.MTU, 1400));
 *     VethPair pair = links.createVethPair(NewLink.veth("eth0").set(LinkAttribute.MAC, mac),
 *             NewLink.vethPeer(null), hostNs);                 // from inside the sandbox
 *     links.setMaster(port, br.index());
 *     links.set(port, BridgePortAttribute.HAIRPIN, true);
 *     links.set(port, LinkAttribute.UP, true);
 *     links.awaitRunning(port, Duration.ofSeconds(3));
 *     new BridgeVlans(nl).add(port, BridgeVlan.access(100));
 *     new Addresses(nl).add(index, IpPrefix.parse("10.22.0.5/16"));
 *     new Addresses(nl).awaitSettled(index, Duration.ofSeconds(10));
 *     new Routes(nl).add(Route.to(IpPrefix.parse("0.0.0.0/0")).set(RouteAttribute.GATEWAY, gw).build());
 *     LinkInfo hostVeth = hostLinks.vethPeerOf(sandboxNs, "eth0");   // from the host
 * }
 * </pre>
 *
 * <h2>Tables</h2>
 * Each kind's attributes are one table of rows ({@link dev.jcni.core.os.netlink.LinkAttribute},
 * {@link dev.jcni.core.os.netlink.BridgeAttribute},
 * {@link dev.jcni.core.os.netlink.BridgePortAttribute},
 * {@link dev.jcni.core.os.netlink.AddressAttribute},
 * {@link dev.jcni.core.os.netlink.RouteAttribute}): a row names its attribute type and the
 * {@code AttributeCodec} of its payload; requests set rows, values read back answer
 * {@code get(row)}. Header fields (an ifinfomsg's flags, an address's prefix, a route's table)
 * are plain methods. Adding an attribute is adding a row.
 *
 * <h2>On the wire</h2>
 * Requests are laid out as iproute2 6.1 lays out the equivalent command (attribute order, nesting
 * flags), and the unit tests compare them byte for byte with what {@code ip} and {@code bridge}
 * sent, captured with strace; replies are decoded from captured kernel replies. Namespaces
 * travel as descriptors ({@code IFLA_NET_NS_FD}, {@code NETNSA_FD}) taken from
 * {@link dev.jcni.core.os.netns.NetNs} handles here, never by the caller.
 *
 * <h2>Errors</h2>
 * Every failure is an {@link dev.jcni.core.os.OsException} naming the operation and, when it can
 * still be read, the link: a missing link, address, route or VLAN is a
 * {@link dev.jcni.core.os.NotFoundException} (ENODEV, EADDRNOTAVAIL, ESRCH, ENOENT), a name or
 * object in use an {@link dev.jcni.core.os.ExistsException}, a refused value an
 * {@link dev.jcni.core.os.InvalidArgumentException}; a kernel without a feature (bridge VLAN
 * filtering) answers EOPNOTSUPP. Dumps the kernel marks interrupted are redone, five attempts
 * in all. Waits (a link running, IPv6 addresses settled) poll at a growing pace up to a deadline
 * and end in ETIMEDOUT.
 */
package dev.jcni.core.os.netlink;
