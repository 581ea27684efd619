package io.mediamesh.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses an outbound fetch ({@link SafeFetcher}) may connect to. Refused unless allowlisted: loopback,
 * unspecified ({@code 0.0.0.0}, {@code ::}), link-local (169.254/16 with the cloud metadata endpoints, fe80::/10),
 * private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), carrier-grade NAT (100.64/10), multicast, broadcast and
 * other reserved IPv4 ranges, and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4), judged by
 * that address.
 * The allowlist names hosts (matched against the URL's host) or IP addresses (matched against the resolved one).
 */
public final class AddressPolicy {

  private final Set<String> allowed;

  public AddressPolicy(List<String> allowedHosts) {
    this.allowed = Set.copyOf(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
  }

  /** The first address of {@code host} that may be connected to, or empty when none may. */
  public Optional<InetAddress> choose(String host, List<InetAddress> addresses) {
    boolean hostAllowed = allowed.contains(host.toLowerCase(Locale.ROOT));
    return addresses.stream().filter(a -> hostAllowed || allowed.contains(a.getHostAddress())
      || allowed.contains(InetAddresses.canonical(a)) || isPublic(a)).findFirst();
  }

  /** Whether an address is on the public internet (none of the ranges above). */
  public static boolean isPublic(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      Optional<Inet4Address> embedded = InetAddresses.embeddedIpv4(v6);
      if (embedded.isPresent()) {
        return isPublic(embedded.get());
      }
      byte first = v6.getAddress()[0];
      if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
        return false;
      }
    }
    if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
      || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    if (address instanceof Inet4Address v4) {
      byte[] b = v4.getAddress();
      int a0 = b[0] & 0xff;
      int a1 = b[1] & 0xff;
      return !(a0 == 0                                 // 0.0.0.0/8 "this network"
        || (a0 == 100 && a1 >= 64 && a1 <= 127)          // 100.64.0.0/10 carrier-grade NAT
        || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0)  // 192.0.0.0/24 IETF protocol assignments
        || (a0 == 198 && (a1 == 18 || a1 == 19))         // 198.18.0.0/15 benchmarking
        || a0 >= 240);                                   // 240.0.0.0/4 reserved, and broadcast
    }
    return true;
  }
}
