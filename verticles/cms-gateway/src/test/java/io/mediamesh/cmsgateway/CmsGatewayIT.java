package io.mediamesh.cmsgateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cms gateway in front of the real auth, cms, metadata and media services (one JVM, real PostgreSQL, Redis,
 * Kafka and S3): the editor's workflow end to end with ETags and a streamed upload, 400s naming the field, limits,
 * security headers and docs, a fast 503 from an open breaker, and exact login rate limits. Every answer is
 * validated against {@code openapi/cms-v1.yaml}.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CmsGatewayIT {

  private final Vertx vertx = Vertx.vertx();
  private GatewayPlatform platform;
  private ContractClient cms;
  private String admin;
  private String editor;

  @BeforeAll
  void start(TestInfra infra) {
    JsonObject gateway = new JsonObject()
      .put("trustedProxies", new JsonArray().add("127.0.0.1"))
      .put("maxBodyBytes", 65536)
      .put("breaker", new JsonObject().put("maxFailures", 2).put("resetTimeoutMs", 30000))
      .put("rateLimits", new JsonObject()
        .put("login-ip", new JsonObject().put("limit", 5).put("windowSeconds", 60))
        .put("login-account", new JsonObject().put("limit", 3).put("windowSeconds", 300)));
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "metadata", "media", "cms-gateway"),
      new JsonObject().put("services", new JsonObject().put("cms-gateway", gateway)));
    cms = platform.client(vertx, "cms-gateway");
    admin = GatewayPlatform.loginAdmin(cms);
    editor = GatewayPlatform.createUser(cms, admin, "editor@mediamesh.test", "Edit0r-pass-1", "EDITOR");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  @Test
  void editorCreatesUpdatesWithETagsUploadsAndPublishes() throws Exception {
    Reply created = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Night Shift")
      .put("description", "Stories from after midnight"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    String programId = created.json().getString("id");

    Reply read = cms.get("/api/v1/cms/programs/" + programId, editor);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("ETag")).isEqualTo("\"1\"");
    assertThat(cms.send("GET", "/api/v1/cms/programs/" + programId, editor, null, Map.of("If-None-Match", "\"1\""))
      .status()).isEqualTo(304);

    Reply updated = cms.put("/api/v1/cms/programs/" + programId, editor,
      new JsonObject().put("title", "Night Shift, season 2"), Map.of("If-Match", "\"1\""));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.header("ETag")).isEqualTo("\"2\"");
    Reply stale = cms.put("/api/v1/cms/programs/" + programId, editor,
      new JsonObject().put("title", "Lost update"), Map.of("If-Match", "\"1\""));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.errorCode()).isEqualTo("precondition_failed");
    Reply staleBody = cms.put("/api/v1/cms/programs/" + programId, editor,
      new JsonObject().put("title", "Lost update").put("version", 1), Map.of());
    assertThat(staleBody.status()).isEqualTo(409);
    Reply noVersion = cms.put("/api/v1/cms/programs/" + programId, editor,
      new JsonObject().put("title", "Lost update"), Map.of());
    assertThat(noVersion.status()).isEqualTo(400);
    assertThat(noVersion.json().getJsonObject("error").getJsonObject("details").getJsonObject("fields")
      .containsKey("version")).isTrue();

    Reply episode = cms.post("/api/v1/cms/programs/" + programId + "/episodes", editor, new JsonObject()
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Pilot").put("durationSeconds", 1800));
    assertThat(episode.status()).isEqualTo(201);
    String episodeId = episode.json().getString("id");
    assertThat(cms.get("/api/v1/cms/programs/" + programId + "/episodes?page=0&size=10", editor).items())
      .hasSize(1);

    Reply metadata = cms.post("/api/v1/metadata", editor, new JsonObject().put("contentId", programId)
      .put("contentType", "PROGRAM").put("title", "Night Shift").put("category", "PODCAST").put("language", "en")
      .put("tags", new JsonArray().add("night")));
    assertThat(metadata.status()).isEqualTo(201);
    String metadataId = metadata.json().getString("id");
    assertThat(cms.get("/api/v1/metadata/content/" + programId, editor).json().getString("id"))
      .isEqualTo(metadataId);
    Reply metaUpdate = cms.put("/api/v1/metadata/" + metadataId, editor, new JsonObject().put("title", "Night Shift")
      .put("category", "PODCAST").put("language", "ar"), Map.of("If-Match", "\"1\""));
    assertThat(metaUpdate.status()).isEqualTo(200);
    assertThat(cms.get("/api/v1/metadata/" + metadataId + "/versions", editor).json().getInteger("total"))
      .isEqualTo(2);
    assertThat(cms.post("/api/v1/metadata/" + metadataId + "/versions/1/restore", editor, null).json()
      .getString("language")).isEqualTo("en");

    byte[] image = png(640, 360);
    HttpResponse<String> upload = Multipart.post(platform.url("cms-gateway") + "/api/v1/media/upload", editor,
      Map.of("contentId", programId, "contentType", "PROGRAM"), "image/png",
      () -> new ByteArrayInputStream(image));
    Reply uploaded = ContractClient.reply(upload);
    cms.check("POST", "/api/v1/media/upload", uploaded);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    assertThat(uploaded.json().getInteger("width")).isEqualTo(640);
    String mediaId = uploaded.json().getString("id");
    Reply thumbnail = cms.post("/api/v1/media/" + mediaId + "/thumbnail", editor,
      new JsonObject().put("width", 160).put("height", 160));
    assertThat(thumbnail.status()).isEqualTo(200);
    assertThat(thumbnail.json().getString("thumbnailUrl")).isNotBlank();
    assertThat(cms.get("/api/v1/media/content/" + programId, editor).items()).isNotEmpty();

    assertThat(cms.post("/api/v1/cms/programs/" + programId + "/publish", editor, null).json().getString("status"))
      .isEqualTo("PUBLISHED");
    assertThat(cms.post("/api/v1/cms/episodes/" + episodeId + "/publish", editor, new JsonObject()).json()
      .getString("status")).isEqualTo("PUBLISHED");

    // an editor may not delete; an admin may
    assertThat(cms.send("DELETE", "/api/v1/media/" + mediaId, editor, null, Map.of()).status()).isEqualTo(403);
    assertThat(cms.send("DELETE", "/api/v1/media/" + mediaId, admin, null, Map.of()).status()).isEqualTo(204);
  }

  @Test
  void refusesBadInputNamingTheFieldBeforeAnyDownstreamCall() {
    Reply missing = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("description", "no title"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getJsonObject("error").getString("message")).startsWith("title");
    assertThat(missing.json().getJsonObject("error").getJsonObject("details").getJsonObject("fields")
      .containsKey("title")).isTrue();

    Reply wrongType = cms.post("/api/v1/cms/programs/" + UUID.randomUUID() + "/episodes", editor,
      new JsonObject().put("seasonNumber", "one").put("episodeNumber", 1).put("title", "x"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().getJsonObject("error").getString("message")).startsWith("seasonNumber");

    Reply badId = cms.get("/api/v1/cms/programs/not-a-uuid", editor);
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().getJsonObject("error").getString("message")).startsWith("id");

    Reply badQuery = cms.get("/api/v1/cms/programs?size=1000", editor);
    assertThat(badQuery.status()).isEqualTo(400);
    assertThat(badQuery.json().getJsonObject("error").getString("message")).startsWith("size");

    Reply notJson = cms.send("POST", "/api/v1/cms/programs", editor, "{not json", Map.of());
    assertThat(notJson.status()).isEqualTo(400);

    Reply tooLarge = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "x")
      .put("description", "y".repeat(70_000)));
    assertThat(tooLarge.status()).isEqualTo(413);

    Reply unknown = cms.get("/api/v1/cms/nothing-here", editor);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getJsonObject("error").getString("code")).isEqualTo("not_found");
    assertThat(unknown.body()).doesNotContain("Exception").doesNotContain("at io.");

    Reply forged = cms.get("/api/v1/cms/programs", editor.substring(0, editor.length() - 4) + "AAAA");
    assertThat(forged.status()).isEqualTo(401);

    // a path of the contract with a method it lacks: 405 naming the methods it has, in the error shape
    Reply wrongMethod = cms.send("DELETE", "/api/v1/auth/login", null, null, Map.of());
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).isEqualTo("POST");
    assertThat(wrongMethod.errorCode()).isEqualTo("method_not_allowed");
    Reply wrongOnItem = cms.send("POST", "/api/v1/cms/programs/" + UUID.randomUUID(), editor, "{}", Map.of());
    assertThat(wrongOnItem.status()).isEqualTo(405);
    assertThat(wrongOnItem.header("Allow")).isEqualTo("GET, PUT, DELETE");
  }

  @Test
  void logoutRoleChangesAndDisablingEndAccessTokensEverywhereNotWhenTheyExpire() {
    String email = "revoked-" + UUID.randomUUID() + "@mediamesh.test";
    Reply created = cms.post("/api/v1/cms/users", admin, new JsonObject().put("email", email)
      .put("password", "Revoke-pass-1").put("displayName", "Soon gone").put("role", "EDITOR"));
    assertThat(created.status()).isEqualTo(201);
    String userId = created.json().getString("id");
    java.util.function.Supplier<JsonObject> login = () -> cms.post("/api/v1/auth/login", null,
      new JsonObject().put("email", email).put("password", "Revoke-pass-1")).json();
    io.mediamesh.common.bus.BusClient bus = new io.mediamesh.common.bus.BusClient(platform.platform().vertx(), 5000);

    // logout: the access token of the session ends with it
    JsonObject first = login.get();
    String a = first.getString("accessToken");
    assertThat(cms.get("/api/v1/cms/programs", a).status()).isEqualTo(200);
    assertThat(cms.post("/api/v1/auth/logout", a, new JsonObject().put("refreshToken", first.getString("refreshToken")))
      .status()).isEqualTo(204);
    io.mediamesh.testkit.Await.until("the logged-out token is refused", java.time.Duration.ofSeconds(10),
      () -> cms.get("/api/v1/cms/programs", a).status() == 401);
    assertThat(cms.get("/api/v1/cms/programs", a).json().getJsonObject("error").getString("message")).contains("revoked");

    // a new login right after works (its token is not before the cut-off)
    JsonObject second = login.get();
    String b = second.getString("accessToken");
    assertThat(cms.get("/api/v1/cms/programs", b).status()).isEqualTo(200);

    // demoted: the token that says EDITOR stops, at the gateway and in the service itself
    assertThat(cms.send("PATCH", "/api/v1/cms/users/" + userId, admin, new JsonObject().put("role", "USER").encode(),
      Map.of()).status())
      .isEqualTo(200);
    io.mediamesh.testkit.Await.until("the demoted user's old token is refused", java.time.Duration.ofSeconds(10),
      () -> cms.get("/api/v1/cms/programs", b).status() == 401);
    Throwable inService = io.mediamesh.testkit.Await.failure(bus.request(io.mediamesh.common.api.CmsApi.PROGRAM_LIST,
      new JsonObject(), new io.mediamesh.common.bus.Caller(userId, java.util.Set.of(io.mediamesh.common.bus.Role.EDITOR),
        b)));
    assertThat(((io.mediamesh.common.bus.ServiceException) inService).code())
      .isEqualTo(io.mediamesh.common.bus.ErrorCode.UNAUTHENTICATED);
    // (three logins of one account is this class's account quota: the new role comes by refresh)
    String refreshed = cms.post("/api/v1/auth/refresh", null, new JsonObject().put("refreshToken",
      second.getString("refreshToken"))).json().getString("accessToken");
    assertThat(cms.get("/api/v1/cms/programs", refreshed).status()).as("a new token carries the new role")
      .isEqualTo(403);

    // disabled: every token of theirs stops
    assertThat(cms.send("PATCH", "/api/v1/cms/users/" + userId, admin, new JsonObject().put("role", "EDITOR").encode(),
      Map.of())
      .status()).isEqualTo(200);
    String c = login.get().getString("accessToken");
    assertThat(cms.get("/api/v1/cms/programs", c).status()).isEqualTo(200);
    assertThat(cms.send("PATCH", "/api/v1/cms/users/" + userId, admin, new JsonObject().put("disabled", true).encode(),
      Map.of())
      .status()).isEqualTo(200);
    io.mediamesh.testkit.Await.until("the disabled user's token is refused", java.time.Duration.ofSeconds(10),
      () -> cms.get("/api/v1/cms/programs", c).status() == 401);
    assertThat(cms.post("/api/v1/cms/programs", c, new JsonObject().put("title", "Too late")).status()).isEqualTo(401);
  }

  @Test
  void whatTheContractAllowsAtItsEdgesTheServiceAcceptsAndNotOneMore() {
    int max = io.mediamesh.common.api.Limits.TITLE_MAX;
    Reply longest = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "t".repeat(max))
      .put("description", "d".repeat(io.mediamesh.common.api.Limits.DESCRIPTION_MAX)));
    assertThat(longest.status()).as(longest.body()).isEqualTo(201);
    assertThat(cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "t".repeat(max + 1))).status())
      .isEqualTo(400);
    String programId = longest.json().getString("id");
    Reply lastSeason = cms.post("/api/v1/cms/programs/" + programId + "/episodes", editor, new JsonObject()
      .put("seasonNumber", io.mediamesh.common.api.Limits.SEASON_MAX)
      .put("episodeNumber", io.mediamesh.common.api.Limits.EPISODE_NUMBER_MAX).put("title", "Finale")
      .put("durationSeconds", io.mediamesh.common.api.Limits.DURATION_MAX));
    assertThat(lastSeason.status()).as(lastSeason.body()).isEqualTo(201);
    Reply seasonZero = cms.post("/api/v1/cms/programs/" + programId + "/episodes", editor, new JsonObject()
      .put("seasonNumber", 0).put("episodeNumber", 1).put("title", "Special"));
    assertThat(seasonZero.status()).isEqualTo(400);
    assertThat(seasonZero.json().getJsonObject("error").getString("message")).contains("seasonNumber");
    // an API source without its mapping: refused by the contract at the gateway, before ingest is asked
    Reply noMapping = cms.post("/api/v1/ingest/sources", editor, new JsonObject().put("type", "API")
      .put("url", "https://api.example.com/items"));
    assertThat(noMapping.status()).as(noMapping.body()).isEqualTo(400);
    assertThat(noMapping.json().getJsonObject("error").getString("message")).contains("mapping");
  }

  @Test
  void anArchivedProgramIsRestoredThroughTheGateway() {
    String id = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Lost Tapes")).json()
      .getString("id");
    assertThat(cms.post("/api/v1/cms/programs/" + id + "/restore", editor, null).status())
      .as("only an archived program can be restored").isEqualTo(409);
    assertThat(cms.post("/api/v1/cms/programs/" + id + "/archive", editor, null).json().getString("status"))
      .isEqualTo("ARCHIVED");
    Reply restored = cms.post("/api/v1/cms/programs/" + id + "/restore", editor, null);
    assertThat(restored.status()).isEqualTo(200);
    assertThat(restored.json().getString("status")).isEqualTo("DRAFT");
    assertThat(restored.header("ETag")).isEqualTo("\"" + restored.json().getInteger("version") + "\"");
  }

  @Test
  void aVersionWrittenAsADecimalOrAnExponentIsA400NotA500() {
    String id = UUID.randomUUID().toString();
    for (String version : List.of("1.0", "1e3")) {
      Reply r = cms.post("/api/v1/metadata/" + id + "/versions/" + version + "/restore", editor, null);
      assertThat(r.status()).as(version).isEqualTo(400);
      assertThat(r.json().getJsonObject("error").getJsonObject("details").getJsonObject("fields")
        .getString("version")).contains("digits");
    }
  }

  @Test
  void metricsAreForOperatorsAndReadinessDetailsToo() {
    Reply metrics = cms.get("/metrics", admin);
    assertThat(metrics.status()).as("a user's token, even an admin's, is not the operator token").isEqualTo(401);
    // search and ingest do not run here: DOWN, and only that, for anyone
    Reply ready = cms.get("/ready", null);
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json()).isEqualTo(new JsonObject().put("status", "DOWN"));
    io.mediamesh.testkit.Http.Reply operator = io.mediamesh.testkit.Http.ops(platform.url("cms-gateway") + "/ready");
    assertThat(operator.status()).isEqualTo(503);
    assertThat(operator.json().getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("id")))
      .contains("service:search", "service:cms");
    assertThat(io.mediamesh.testkit.Http.ops(platform.url("cms-gateway") + "/metrics").body())
      .contains("mediamesh_gateway_breaker_state");
  }

  @Test
  void servesSecurityHeadersDocsAndTheContract() {
    Reply me = cms.get("/api/v1/auth/me", editor);
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("role")).isEqualTo("EDITOR");
    assertThat(me.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(me.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(me.header("Content-Security-Policy")).contains("default-src 'none'");
    assertThat(me.header("Cache-Control")).isEqualTo("no-store");

    assertThat(cms.get("/openapi.yaml", null).body()).startsWith("openapi: 3.1.0");
    assertThat(cms.get("/.well-known/jwks.json", null).json().getJsonArray("keys")).isNotEmpty();
    io.mediamesh.testkit.Http.Reply docs = io.mediamesh.testkit.Http.get(platform.url("cms-gateway") + "/docs/");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("swagger-ui");
    assertThat(io.mediamesh.testkit.Http.get(platform.url("cms-gateway") + "/docs/swagger-initializer.js").body())
      .contains("/openapi.yaml");
  }

  @Test
  void anUnavailableServiceOpensItsBreakerAndAnswersAFast503WithRetryAfter() {
    // search is a downstream of the cms gateway but is not running here: no handler, a failure each time
    for (int i = 0; i < 2; i++) {
      assertThat(cms.get("/api/v1/search/status", admin).status()).isEqualTo(503);
    }
    String[] breaker = {"gateway", "cms-gateway", "service", "search"};
    assertThat(platform.meter("mediamesh_gateway_breaker_state", breaker)).as("open").isEqualTo(2.0);
    double rejected = platform.meter("mediamesh_gateway_breaker_rejected", breaker);
    Reply open = cms.get("/api/v1/search/status", admin);
    assertThat(open.status()).isEqualTo(503);
    assertThat(open.header("Retry-After")).isEqualTo("30");
    assertThat(open.json().getJsonObject("error").getString("message")).contains("search");
    // refused by the open breaker without a downstream call: the structural form of "fast" (timing is benchmarked)
    assertThat(platform.meter("mediamesh_gateway_breaker_rejected", breaker)).isEqualTo(rejected + 1);
    // other downstreams are unaffected
    assertThat(cms.get("/api/v1/cms/programs", editor).status()).isEqualTo(200);
  }

  @Test
  void loginIsLimitedPerIpAndPerAccountWithExactCountsAndHeaders() {
    String ip = "203.0.113.7";
    for (int i = 1; i <= 5; i++) {
      Reply r = loginFrom(ip, "nobody" + i + "@mediamesh.test");
      assertThat(r.status()).as("attempt %d", i).isEqualTo(401);
      assertThat(r.header("RateLimit-Policy")).contains("\"login-ip\";q=5;w=60");
      assertThat(r.header("RateLimit")).contains("\"login-ip\";r=" + (5 - i) + ";");
    }
    Reply limited = loginFrom(ip, "nobody6@mediamesh.test");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.errorCode()).isEqualTo("rate_limited");
    assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 12L);
    assertThat(limited.header("RateLimit")).contains("\"login-ip\";r=0;");
    // another address is not affected
    assertThat(loginFrom("203.0.113.8", "nobody@mediamesh.test").status()).isEqualTo(401);

    // per account: three attempts from three addresses, the fourth from a fourth address is refused
    for (int i = 0; i < 3; i++) {
      Reply r = loginFrom("198.51.100." + (10 + i), "target@mediamesh.test");
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("RateLimit")).contains("\"login-account\";r=" + (2 - i) + ";");
    }
    Reply account = loginFrom("198.51.100.20", "TARGET@mediamesh.test");
    assertThat(account.status()).isEqualTo(429);
    assertThat(account.json().getJsonObject("error").getJsonObject("details").getString("policy"))
      .isEqualTo("login-account");
  }

  private Reply loginFrom(String ip, String email) {
    return cms.send("POST", "/api/v1/auth/login", null, new JsonObject().put("email", email)
      .put("password", "Wrong-password-1").encode(), Map.of("X-Forwarded-For", ip));
  }

  static byte[] png(int width, int height) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x += 8) {
      image.setRGB(x, x % height, 0x3366cc);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
