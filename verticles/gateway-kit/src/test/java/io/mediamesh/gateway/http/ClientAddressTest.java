package io.mediamesh.gateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

  @Test
  void ipv6AddressesOfOneSlash64ShareOneLimitKey() {
    String a = ClientAddress.limitKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
    String b = ClientAddress.limitKey("2001:0db8:0001:0002::1");
    assertThat(a).isEqualTo(b).isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.limitKey("2001:db8:1:3::1")).isNotEqualTo(a);
  }

  @Test
  void ipv4AndMappedIpv4CountAsThemselves() {
    assertThat(ClientAddress.limitKey("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.limitKey("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.limitKey("unknown")).isEqualTo("unknown");
  }
}
