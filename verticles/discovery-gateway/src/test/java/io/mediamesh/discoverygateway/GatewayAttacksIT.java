package io.mediamesh.discoverygateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks of the outside review, reproduced against both gateways co-located with the real services (real
 * PostgreSQL, Redis, Kafka, S3), with the shipped rate limits: each one must leave other users served.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayAttacksIT {

  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService attackers = Executors.newFixedThreadPool(40);
  private GatewayPlatform platform;
  private ContractClient cms;
  private ContractClient discovery;
  private String admin;

  @BeforeAll
  void start(TestInfra infra) {
    JsonObject behindProxy = new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"));
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "metadata", "search", "discovery", "cms-gateway",
      "discovery-gateway"), new JsonObject().put("services", new JsonObject().put("cms-gateway", behindProxy)
      .put("discovery-gateway", behindProxy.copy())));
    cms = platform.client(vertx, "cms-gateway");
    discovery = platform.client(vertx, "discovery-gateway");
    admin = GatewayPlatform.loginAdmin(cms);
  }

  @AfterAll
  void stop() {
    attackers.shutdownNow();
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  private static Map<String, String> from(String ip) {
    return Map.of("X-Forwarded-For", ip);
  }

  private Reply login(ContractClient gateway, String ip, String email, String password) {
    return gateway.send("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email)
      .put("password", password).encode(), from(ip));
  }

  private Reply refresh(ContractClient gateway, String ip, String token) {
    return gateway.send("POST", "/api/v1/auth/refresh", null, new JsonObject().put("refreshToken", token).encode(),
      from(ip));
  }

  private String register(String email, String password) {
    Reply r = discovery.send("POST", "/api/v1/auth/register", null, new JsonObject().put("email", email)
      .put("password", password).put("displayName", "Viewer").encode(), from("192.0.2." + (1 + Math.abs(
      email.hashCode() % 200))));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return email;
  }

  @Test
  void bogusRefreshesFromManyAddressesNeverRefuseAnotherUsersRefresh() {
    String email = register("refresher-" + UUID.randomUUID() + "@mediamesh.test", "Refresh-pass-1");
    Reply tokens = login(discovery, "198.51.100.77", email, "Refresh-pass-1");
    assertThat(tokens.status()).isEqualTo(200);
    for (int i = 0; i < 12; i++) {
      Reply bogus = refresh(i % 2 == 0 ? cms : discovery, "203.0.113." + (100 + i), "bogus-" + UUID.randomUUID());
      assertThat(bogus.status()).as("bogus refresh %d", i).isEqualTo(401);
    }
    Reply valid = refresh(discovery, "198.51.100.77", tokens.json().getString("refreshToken"));
    assertThat(valid.status()).as(valid.body()).isEqualTo(200);
    assertThat(valid.header("RateLimit-Policy")).contains("\"refresh-ip\"").contains("\"refresh-token\"");
  }

  @Test
  void wrongPasswordsFromAnAttackerDoNotLockTheOwnerOutAndCountOnceAcrossBothGateways() {
    String email = register("owner-" + UUID.randomUUID() + "@mediamesh.test", "Owner-pass-1");
    String attacker = "203.0.113.66";
    int allowed = 0;
    Reply last = null;
    for (int i = 0; i < 14; i++) {
      last = login(i % 2 == 0 ? cms : discovery, attacker, email, "Wrong-guess-" + i);
      if (last.status() == 401) {
        allowed++;
      } else {
        assertThat(last.status()).isEqualTo(429);
      }
    }
    // one quota for the account and address, shared by both gateways: 10 in all, not 10 per gateway
    assertThat(allowed).isEqualTo(10);
    assertThat(last.json().getJsonObject("error").getJsonObject("details").getString("policy"))
      .isEqualTo("login-account-ip");
    // the owner, from their own address, through either gateway
    assertThat(login(cms, "198.51.100.5", email, "Owner-pass-1").status()).isEqualTo(200);
    assertThat(login(discovery, "198.51.100.5", email, "Owner-pass-1").status()).isEqualTo(200);
  }

  @Test
  void aWrongPasswordFloodLeavesOtherUsersLoginAndRefreshServed() {
    String victim = register("victim-" + UUID.randomUUID() + "@mediamesh.test", "Victim-pass-1");
    String refreshToken = login(cms, "198.51.100.30", victim, "Victim-pass-1").json().getString("refreshToken");
    String bystander = register("bystander-" + UUID.randomUUID() + "@mediamesh.test", "Bystander-pass-1");

    // 40 concurrent wrong-password logins from two addresses, within each address's login quota (20 a minute)
    List<CompletableFuture<Reply>> flood = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String ip = i % 2 == 0 ? "203.0.113.10" : "203.0.113.11";
      String target = "target" + (i % 5) + "@mediamesh.test";
      flood.add(CompletableFuture.supplyAsync(() -> login(cms, ip, target, "Wrong-password-1"), attackers));
    }
    // meanwhile other users are served: a refresh, and a third client's login
    Reply refreshed = refresh(cms, "198.51.100.30", refreshToken);
    Reply third = login(cms, "198.51.100.31", bystander, "Bystander-pass-1");
    List<Integer> statuses = flood.stream().map(CompletableFuture::join).map(Reply::status).toList();

    assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
    assertThat(third.status()).as(third.body()).isEqualTo(200);
    assertThat(statuses).as("the flood is answered 401 or refused 429, never a 5xx").allMatch(s -> s == 401 || s == 429);
    assertThat(statuses).as("some of the flood was refused at once instead of queued").contains(429);
    assertThat(platform.meter("mediamesh_gateway_breaker_state", "gateway", "cms-gateway", "service", "auth"))
      .as("the auth breaker stayed closed").isEqualTo(0.0);
    assertThat(platform.meter("mediamesh_gateway_breaker_rejected", "gateway", "cms-gateway", "service", "auth"))
      .isEqualTo(0.0);
  }
}
