package io.mediamesh.common.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The address ranges every outbound fetch refuses, judged on literal addresses (no DNS involved). */
class AddressPolicyTest {

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void privateLoopbackLinkLocalAndReservedAreNotPublic() {
    for (String refused : List.of("127.0.0.1", "127.5.6.7", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
      "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.8",
      "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",
      "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "ff02::1")) {
      assertThat(AddressPolicy.isPublic(ip(refused))).as(refused).isFalse();
    }
  }

  @Test
  void publicAddressesAreAllowed() {
    for (String allowed : List.of("93.184.215.14", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
      "::ffff:8.8.8.8", "2002:0808:0808::1")) {
      assertThat(AddressPolicy.isPublic(ip(allowed))).as(allowed).isTrue();
    }
  }

  @Test
  void theAllowlistNamesHostsOrAddresses() {
    AddressPolicy none = new AddressPolicy(List.of());
    assertThat(none.choose("localhost", List.of(ip("127.0.0.1"), ip("::1")))).isEmpty();
    AddressPolicy byAddress = new AddressPolicy(List.of("127.0.0.1"));
    assertThat(byAddress.choose("localhost", List.of(ip("::1"), ip("127.0.0.1")))).contains(ip("127.0.0.1"));
    assertThat(byAddress.choose("intranet", List.of(ip("10.0.0.5")))).isEmpty();
    AddressPolicy byName = new AddressPolicy(List.of("Intranet"));
    assertThat(byName.choose("intranet", List.of(ip("10.0.0.5")))).contains(ip("10.0.0.5"));
    AddressPolicy ipv6 = new AddressPolicy(List.of("::1"));
    assertThat(ipv6.choose("localhost", List.of(ip("::1")))).contains(ip("::1"));
    assertThat(none.choose("example.org", List.of(ip("10.0.0.1"), ip("93.184.215.14")))).contains(ip("93.184.215.14"));
  }
}
