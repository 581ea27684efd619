package io.mediamesh.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** IPv6 forms that carry an IPv4 address, so the policy judges the IPv4 address a connection would reach. */
final class InetAddresses {

  private InetAddresses() {
  }

  static Optional<Inet4Address> embeddedIpv4(Inet6Address v6) {
    byte[] b = v6.getAddress();
    boolean zero10 = true;
    for (int i = 0; i < 10; i++) {
      zero10 &= b[i] == 0;
    }
    boolean mapped = zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;  // ::ffff:a.b.c.d
    boolean compatible = zero10 && b[10] == 0 && b[11] == 0                        // ::a.b.c.d (not :: or ::1)
      && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
      && (b[3] & 0xff) == 0x9b;                                                     // 64:ff9b::/96 (first 4 bytes)
    if (mapped || compatible || nat64) {
      return Optional.of(v4(b[12], b[13], b[14], b[15]));
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {                          // 2002::/16 6to4
      return Optional.of(v4(b[2], b[3], b[4], b[5]));
    }
    return Optional.empty();
  }

  /** The address as an allowlist entry would spell it ("::1", not "0:0:0:0:0:0:0:1"). */
  static String canonical(InetAddress address) {
    String text = address.getHostAddress();
    return address instanceof Inet6Address && text.equals("0:0:0:0:0:0:0:1") ? "::1" : text;
  }

  private static Inet4Address v4(byte a, byte b, byte c, byte d) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}
