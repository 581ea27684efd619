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

  private Reply graphql(String ip, String query) {
    return discovery.send("POST", "/graphql", null, new JsonObject().put("query", query).encode(), from(ip));
  }

  @Test
  void aGraphqlFanOutIsRefusedByItsCostBeforeAnyFetchAndRestReadsKeepAnswering() {
    StringBuilder q = new StringBuilder("{");
    for (int i = 0; i < 100; i++) {
      q.append(" a").append(i).append(": programs(size: 100) { items { episodes(size: 100) { total } } }");
    }
    String attack = q.append(" }").toString();
    List<CompletableFuture<Reply>> attacks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String ip = "203.0.113." + (40 + i);
      attacks.add(CompletableFuture.supplyAsync(() -> graphql(ip, attack), attackers));
    }
    Reply rest = discovery.send("GET", "/api/v1/discovery/programs?size=5", null, null, from("198.51.100.90"));
    for (CompletableFuture<Reply> a : attacks) {
      Reply r = a.join();
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      JsonObject error = r.json().getJsonObject("error");
      assertThat(error.getString("message")).contains("query cost").contains("exceeds the limit 500");
      assertThat(error.getJsonObject("details").getInteger("cost")).isGreaterThan(1_000_000);
    }
    assertThat(rest.status()).isEqualTo(200);
    assertThat(platform.meter("mediamesh_gateway_breaker_state", "gateway", "discovery-gateway", "service",
      "discovery")).isEqualTo(0.0);
    // a query within budget still runs, and a list's size is what it costs
    Reply fine = graphql("198.51.100.91", "{ programs(size: 5) { total items { id title episodes(size: 3) { total } } } }");
    assertThat(fine.status()).isEqualTo(200);
    assertThat(fine.json().getJsonObject("data").getJsonObject("programs")).isNotNull();
  }

  @Test
  void graphqlSearchesAreChargedToTheSearchRateClassOneByOne() {
    StringBuilder q = new StringBuilder("{");
    for (int i = 0; i < 12; i++) {
      q.append(" s").append(i).append(": suggest(q: \"wind").append(i).append("\")");
    }
    Reply r = graphql("198.51.100.92", q.append(" }").toString());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("RateLimit-Policy")).contains("\"search\"");
    // one request of 600 a minute would leave 599; twelve searches leave 588 (GCRA gives back a little meanwhile)
    String search = r.header("RateLimit").replaceAll(".*\"search\";r=(\\d+).*", "$1");
    assertThat(Integer.parseInt(search)).isBetween(580, 589);
  }

  @Test
  void standardIntrospectionWorksWhileDataDepthIsStillLimited() {
    Reply schema = graphql("198.51.100.93", graphql.introspection.IntrospectionQuery.INTROSPECTION_QUERY);
    assertThat(schema.status()).as(schema.body()).isEqualTo(200);
    assertThat(schema.json().getJsonObject("data").getJsonObject("__schema").getJsonArray("types")).isNotEmpty();
    Reply deep = graphql("198.51.100.93", "{ episode(id: \"" + UUID.randomUUID() + "\") { program { episodes { items {"
      + " program { episodes { items { program { title } } } } } } } } }");
    assertThat(deep.status()).isEqualTo(400);
    assertThat(deep.json().getJsonObject("error").getString("message")).contains("query depth 9 exceeds the limit 6");
    Reply badId = graphql("198.51.100.93", "{ program(id: \"not-a-uuid\") { title } }");
    assertThat(badId.status()).isEqualTo(200);
    assertThat(badId.json().getJsonArray("errors").getJsonObject(0).getString("message"))
      .isEqualTo("id: must be a UUID, got 'not-a-uuid'");
  }

  @Test
  void childListsAreFetchedOncePerLevelNotOncePerParent() {
    String editor = GatewayPlatform.createUser(cms, admin, "editor-" + UUID.randomUUID() + "@attacks.test",
      "Edit0r-pass-1", "EDITOR");
    List<String> programs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Level test " + i)).json()
        .getString("id");
      String episode = cms.post("/api/v1/cms/programs/" + id + "/episodes", editor, new JsonObject()
        .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Pilot " + i)).json().getString("id");
      assertThat(cms.post("/api/v1/cms/episodes/" + episode + "/publish", editor, null).status()).isEqualTo(200);
      assertThat(cms.post("/api/v1/cms/programs/" + id + "/publish", editor, null).status()).isEqualTo(200);
      programs.add(id);
    }
    String query = "{ programs(size: 20) { items { id episodes(size: 2) { total items { title } } } } }";
    io.mediamesh.testkit.Await.until("the three programs are visible", java.time.Duration.ofSeconds(10),
      () -> programs.stream().allMatch(graphql("198.51.100.94", query).body()::contains));
    java.util.Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
    io.vertx.core.Handler<io.vertx.core.eventbus.DeliveryContext<Object>> count = dc -> {
      calls.merge(dc.message().address(), 1, Integer::sum);
      dc.next();
    };
    platform.platform().vertx().eventBus().addOutboundInterceptor(count);
    try {
      Reply r = graphql("198.51.100.94", query);
      assertThat(r.status()).isEqualTo(200);
      JsonArray items = r.json().getJsonObject("data").getJsonObject("programs").getJsonArray("items");
      for (Object o : items) {
        JsonObject p = (JsonObject) o;
        if (programs.contains(p.getString("id"))) {
          assertThat(p.getJsonObject("episodes").getInteger("total")).isEqualTo(1);
          assertThat(p.getJsonObject("episodes").getJsonArray("items").getJsonObject(0).getString("title"))
            .startsWith("Pilot ");
        }
      }
    } finally {
      platform.platform().vertx().eventBus().removeOutboundInterceptor(count);
    }
    assertThat(calls.getOrDefault("mediamesh.discovery.programs.episodes.batch", 0)).as(calls.toString()).isEqualTo(1);
    assertThat(calls.getOrDefault("mediamesh.discovery.programs.episodes", 0)).isZero();
  }
}
