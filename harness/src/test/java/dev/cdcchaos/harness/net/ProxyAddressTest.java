package dev.cdcchaos.harness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ProxyAddressTest {

  @Test
  void parsesHostPortIpv6AndEmptyHost() {
    InetSocketAddress v4 = ProxyInstance.parseAddress("127.0.0.1:5432", "upstream");
    assertThat(v4.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(v4.getPort()).isEqualTo(5432);
    assertThat(ProxyInstance.parseAddress("[::1]:9092", "upstream").getAddress().getHostAddress())
        .isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(ProxyInstance.parseAddress(":0", "listen").getAddress().isLoopbackAddress())
        .as("an empty listen host binds loopback, never every interface")
        .isTrue();
  }

  @Test
  void badAddressesAre400WithTheField() {
    assertThatThrownBy(() -> ProxyInstance.parseAddress("localhost", "upstream"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("upstream")
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    assertThatThrownBy(() -> ProxyInstance.parseAddress("localhost:http", "listen"))
        .hasMessageContaining("listen address localhost:http has no numeric port");
    assertThatThrownBy(() -> ProxyInstance.parseAddress("localhost:70000", "listen"))
        .hasMessageContaining("out of range");
  }
}
