package io.mediamesh.discoverygateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both gateways in front of every service (one JVM, real PostgreSQL, Redis, Kafka and S3): an admin creates an
 * editor, the editor creates and publishes a program with an episode and metadata through the cms gateway, and an
 * anonymous client finds it through the discovery gateway's REST search and GraphQL; the near cache
 * follows changes; with the discovery service stopped the gateway answers from its cache or a 503 from its open
 * breaker (no downstream wait) and recovers by itself; every discovery operation answers anonymous callers as the role table says. Every answer is validated
 * against the contracts.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveryGatewayIT {

  private final Vertx vertx = Vertx.vertx();
  private GatewayPlatform platform;
  private String discoveryDeployment;
  private ContractClient cms;
  private ContractClient discovery;
  private String editor;
  private String programId;
  private String episodeId;

  @BeforeAll
  void start(TestInfra infra) {
    JsonObject gateways = new JsonObject()
      .put("discovery-gateway", new JsonObject().put("breaker", new JsonObject().put("maxFailures", 2)
        .put("resetTimeoutMs", 500).put("timeoutMs", 1000)).put("corsOrigins", new JsonArray().add("https://app.example")))
      .put("cms-gateway", new JsonObject());
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "metadata", "media", "search", "playback",
      "cms-gateway", "discovery-gateway"), new JsonObject().put("services", gateways));
    discoveryDeployment = platform.deploy("discovery");
    cms = platform.client(vertx, "cms-gateway");
    discovery = platform.client(vertx, "discovery-gateway");
    String admin = GatewayPlatform.loginAdmin(cms);
    editor = GatewayPlatform.createUser(cms, admin, "editor@discovery.test", "Edit0r-pass-1", "EDITOR");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  @Test
  @Order(1)
  void publishedContentIsFoundAnonymouslyThroughRestSearchAndGraphql() {
    programId = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Zephyr Chronicles")
      .put("description", "Tales of the western wind")).json().getString("id");
    episodeId = cms.post("/api/v1/cms/programs/" + programId + "/episodes", editor, new JsonObject()
      .put("seasonNumber", 1).put("episodeNumber", 1).put("title", "Gale warning")).json().getString("id");
    assertThat(cms.post("/api/v1/metadata", editor, new JsonObject().put("contentId", programId)
      .put("contentType", "PROGRAM").put("title", "Zephyr Chronicles").put("category", "DOCUMENTARY")
      .put("language", "en").put("tags", new JsonArray().add("wind"))).status()).isEqualTo(201);
    assertThat(cms.post("/api/v1/cms/episodes/" + episodeId + "/publish", editor, null).status()).isEqualTo(200);
    long published = System.nanoTime();
    assertThat(cms.post("/api/v1/cms/programs/" + programId + "/publish", editor, null).status()).isEqualTo(200);

    Reply found = Await.value("REST search finds the program", Duration.ofSeconds(5),
      () -> discovery.get("/api/v1/discovery/search?q=zephyr", null), r -> r.status() == 200 && r.items().size() > 0);
    long searchMs = (System.nanoTime() - published) / 1_000_000;
    JsonObject hit = found.items().getJsonObject(0);
    assertThat(hit.getString("id")).isEqualTo(programId);
    assertThat(hit.getString("highlight")).contains("<em>");
    assertThat(found.json().getJsonObject("facets")).isNotNull();
    // web-search syntax is text to the contract: a quoted phrase and an excluded word
    Reply phrase = discovery.get("/api/v1/discovery/search?q="
      + java.net.URLEncoder.encode("\"zephyr chronicles\" -gale", java.nio.charset.StandardCharsets.UTF_8), null);
    assertThat(phrase.status()).isEqualTo(200);
    assertThat(phrase.items().stream().map(i -> ((JsonObject) i).getString("id"))).containsExactly(programId);

    String query = "{ search(q: \"zephyr\") { total items { id title } facets { type { value count } } } "
      + "program(id: \"" + programId + "\") { title category episodeCount episodes { items { title program { id } } } } }";
    Reply graph = Await.value("GraphQL finds the program", Duration.ofSeconds(5),
      () -> discovery.post("/graphql", null, new JsonObject().put("query", query)),
      r -> r.status() == 200 && r.json().getJsonObject("data") != null
        && r.json().getJsonObject("data").getJsonObject("program") != null
        && r.json().getJsonObject("data").getJsonObject("program").getInteger("episodeCount", 0) > 0);
    long graphMs = (System.nanoTime() - published) / 1_000_000;
    System.out.printf("published -> found by REST search in %d ms, by GraphQL in %d ms%n", searchMs, graphMs);
    JsonObject program = graph.json().getJsonObject("data").getJsonObject("program");
    assertThat(program.getString("category")).isEqualTo("DOCUMENTARY");
    assertThat(program.getJsonObject("episodes").getJsonArray("items").getJsonObject(0).getJsonObject("program")
      .getString("id")).isEqualTo(programId);
  }

  @Test
  @Order(2)
  void detailIsCachedWithETagsAndFollowsChanges() {
    Reply first = discovery.get("/api/v1/discovery/programs/" + programId, null);
    assertThat(first.status()).isEqualTo(200);
    Reply second = discovery.get("/api/v1/discovery/programs/" + programId, null);
    assertThat(second.header("X-Cache")).isEqualTo("HIT");
    assertThat(second.header("Cache-Control")).startsWith("public, max-age=");
    assertThat(second.header("RateLimit-Policy")).contains("\"reads\"");
    // the hit came through the front lane: same edge fields as the pipeline's answers
    assertThat(second.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(second.header("traceparent")).isNotBlank();
    assertThat(second.header("RateLimit")).startsWith("\"reads\";r=");
    // an id that does not validate never reaches a cache entry: the contract's 400
    assertThat(discovery.get("/api/v1/discovery/programs/" + programId + "x", null).status()).isEqualTo(400);
    String etag = second.header("ETag");
    assertThat(discovery.send("GET", "/api/v1/discovery/programs/" + programId, null, null,
      Map.of("If-None-Match", etag)).status()).isEqualTo(304);

    int version = cms.get("/api/v1/cms/programs/" + programId, editor).json().getInteger("version");
    assertThat(cms.put("/api/v1/cms/programs/" + programId, editor, new JsonObject().put("title", "Zephyr Returns"),
      Map.of("If-Match", "\"" + version + "\"")).status()).isEqualTo(200);
    Reply changed = Await.value("the near cache drops the old title", Duration.ofSeconds(5),
      () -> discovery.get("/api/v1/discovery/programs/" + programId, null),
      r -> "Zephyr Returns".equals(r.json().getString("title")));
    assertThat(changed.header("ETag")).isNotEqualTo(etag);

    Reply cors = discovery.send("GET", "/api/v1/discovery/categories", null, null, Map.of("Origin", "https://app.example"));
    assertThat(cors.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
    Reply foreign = discovery.send("GET", "/api/v1/discovery/categories", null, null, Map.of("Origin", "https://evil.example"));
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  @Order(3)
  void withDiscoveryStoppedAnswersFromCacheOrAnOpenBreakerAndRecovers() {
    String cached = "/api/v1/discovery/programs/" + programId;
    assertThat(discovery.get(cached, null).status()).isEqualTo(200);
    // a title that was shown (so its answers were kept for stale-if-error), then taken down
    String takenDown = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", "Takedown Notice"))
      .json().getString("id");
    assertThat(cms.post("/api/v1/cms/programs/" + takenDown + "/publish", editor, null).status()).isEqualTo(200);
    String takenDownPath = "/api/v1/discovery/programs/" + takenDown;
    String list = "/api/v1/discovery/programs?size=50";
    Await.until("the new title is listed", Duration.ofSeconds(10), () -> discovery.get(takenDownPath, null).status() == 200
      && discovery.get(list, null).body().contains(takenDown));
    assertThat(cms.post("/api/v1/cms/programs/" + takenDown + "/unpublish", editor, null).status()).isEqualTo(200);
    Await.until("the unpublish reaches the gateway", Duration.ofSeconds(10),
      () -> discovery.get(takenDownPath, null).status() == 404);
    platform.undeploy(discoveryDeployment);
    // discovery is down: the taken-down title is never served from the stale store, alone or in a list
    Reply gone = discovery.get(takenDownPath, null);
    assertThat(gone.status()).as(gone.body()).isEqualTo(503);
    Reply staleList = discovery.get(list, null);
    if (staleList.status() == 200) {
      assertThat(staleList.body()).doesNotContain(takenDown);
    } else {
      assertThat(staleList.status()).isEqualTo(503);
    }
    String never = "/api/v1/discovery/episodes/" + UUID.randomUUID();
    String[] breaker = {"gateway", "discovery-gateway", "service", "discovery"};
    for (int i = 0; i < 5; i++) {
      Reply stale = discovery.send("GET", cached + "/episodes?page=0&size=" + (1 + i), null, null, Map.of());
      Reply fromCache = discovery.get(cached, null);
      Reply missing = discovery.get(never, null);
      assertThat(fromCache.status()).isEqualTo(200);
      assertThat(stale.status()).isEqualTo(503);
      assertThat(missing.status()).isEqualTo(503);
      assertThat(missing.header("Retry-After")).isNotNull();
    }
    // "fast" is structural, not timed: the breaker opened, and calls after that were refused without a downstream
    // call (timing belongs in the benchmarks)
    double rejected = platform.meter("mediamesh_gateway_breaker_rejected", breaker);
    assertThat(rejected).as("calls the open breaker refused at once").isGreaterThan(0);
    // a list never asked before has no stale copy: a 503 with Retry-After, refused by the open breaker
    Reply down = discovery.get("/api/v1/discovery/programs?size=7", null);
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.header("Retry-After")).isNotNull();
    assertThat(platform.meter("mediamesh_gateway_breaker_rejected", breaker)).isGreaterThan(rejected);

    discoveryDeployment = platform.deploy("discovery");
    Await.value("the gateway recovers by itself", Duration.ofSeconds(10),
      () -> discovery.get("/api/v1/discovery/programs?size=7", null), r -> r.status() == 200);
  }

  @Test
  @Order(4)
  void anonymousCallersReachEveryPublicOperationButNotTheAccountOnes() {
    Set<String> needAccount = Set.of("logout", "me", "getEntitlements", "subscribe", "purchase", "rent", "play",
      "heartbeat", "stopSession", "continueWatching", "watchHistory", "listProfiles", "createProfile",
      "updateProfile", "deleteProfile", "selectProfile");
    // the signed token in the URL is the authorization: a made-up one is refused as such
    Set<String> signed = Set.of("streamFile", "streamRenditionFile");
    List<String> wrong = new ArrayList<>();
    for (Operation op : discovery.contract().operations()) {
      String path = op.getOpenAPIPath().replace("{id}", UUID.randomUUID().toString())
        .replace("{contentType}", "program").replace("{token}", "made-up").replace("{rendition}", "v240")
        .replace("{file}", "index.m3u8");
      if (op.getOperationId().equals("search") || op.getOperationId().equals("suggest")) {
        path += "?q=wind";
      }
      String body = op.getRequestBody() == null ? null : "{}";
      Reply r = discovery.send(op.getHttpMethod().name(), path, null, body, Map.of());
      boolean ok = signed.contains(op.getOperationId()) ? r.status() == 403 && r.body().contains("stream token")
        : needAccount.contains(op.getOperationId()) ? r.status() == 401
        : r.status() != 401 && r.status() != 403 || op.getOperationId().equals("login")
        || op.getOperationId().equals("refresh") || op.getOperationId().equals("metrics"); // the operator token's
      if (!ok) {
        wrong.add(op.getOperationId() + ": " + r.status() + " " + r.body());
      }
    }
    assertThat(wrong).isEmpty();
    Reply tooDeep = discovery.post("/graphql", null, new JsonObject().put("query",
      "{ episode(id: \"x\") { program { episodes { items { program { episodes { items { program { title } } } } } } } } }"));
    assertThat(tooDeep.status()).isEqualTo(400);
    assertThat(tooDeep.json().getJsonObject("error").getString("message")).contains("depth");
  }

  /** A published program with its metadata (EDUCATIONAL, in French: no other test's, the given age rating). */
  private String rated(String title, Integer ageRating) {
    String id = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", title)).json().getString("id");
    JsonObject metadata = new JsonObject().put("contentId", id).put("contentType", "PROGRAM").put("title", title)
      .put("category", "EDUCATIONAL").put("language", "fr").put("genres", new JsonArray().add("Family"));
    if (ageRating != null) {
      metadata.put("ageRating", ageRating);
    }
    Reply saved = cms.post("/api/v1/metadata", editor, metadata);
    assertThat(saved.status()).as(saved.body()).isEqualTo(201);
    assertThat(cms.post("/api/v1/cms/programs/" + id + "/publish", editor, null).status()).isEqualTo(200);
    return id;
  }

  private static List<String> ids(Reply r) {
    return r.items().stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  @Test
  @Order(5)
  void aKidsProfileNeitherFindsNorPlaysWhatIsRatedAboveItsLimitEvenFromWarmCaches() {
    String thriller = rated("Nightshade Thriller", 18);
    String cartoon = rated("Nightshade Cartoons", 6);
    String unrated = rated("Nightshade Drafts", null);
    String email = "parent-" + UUID.randomUUID().toString().substring(0, 8) + "@discovery.test";
    assertThat(discovery.post("/api/v1/auth/register", null, new JsonObject().put("email", email)
      .put("password", "Par3nt-pass-1").put("displayName", "Parent")).status()).isEqualTo(201);
    String parent = GatewayPlatform.login(discovery, email, "Par3nt-pass-1");

    // the caches are warm with what the account (no profile) sees: all three
    String list = "/api/v1/discovery/programs?category=EDUCATIONAL&language=fr";
    Reply all = Await.value("the account lists all three", Duration.ofSeconds(10),
      () -> discovery.get(list, parent), r -> r.status() == 200 && r.items().size() == 3);
    assertThat(ids(all)).contains(thriller, cartoon, unrated);
    Reply search = Await.value("the account finds all three", Duration.ofSeconds(10),
      () -> discovery.get("/api/v1/discovery/search?q=nightshade", parent), r -> r.status() == 200
        && r.items().size() == 3);
    assertThat(ids(search)).contains(thriller);
    assertThat(search.json().getJsonObject("facets").getJsonObject("genre").getInteger("family")).isEqualTo(3);
    assertThat(search.json().getJsonObject("facets").getJsonObject("kind").getInteger("SERIES")).isEqualTo(3);
    assertThat(discovery.get("/api/v1/discovery/search?q=nightshade&kind=MOVIE", parent).items()).isEmpty();
    assertThat(ids(discovery.get("/api/v1/discovery/search?q=nightshade&genre=Family", parent))).hasSize(3);
    assertThat(discovery.get("/api/v1/discovery/programs/" + thriller, null).status()).isEqualTo(200);
    Reply warm = discovery.get("/api/v1/discovery/programs/" + thriller, parent);
    assertThat(warm.header("X-Cache")).isEqualTo("HIT");
    assertThat(warm.json().getInteger("ageRating")).isEqualTo(18);
    assertThat(warm.json().getJsonArray("genres").getList()).containsExactly("family");
    Await.value("playback knows the thriller (nothing to play yet)", Duration.ofSeconds(10),
      () -> discovery.post("/api/v1/play/program/" + thriller, parent, null), r -> r.status() == 403);

    Reply kids = discovery.post("/api/v1/me/profiles", parent, new JsonObject().put("name", "Kids").put("kids", true));
    assertThat(kids.status()).as(kids.body()).isEqualTo(201);
    assertThat(kids.json().getInteger("maxAgeRating")).isEqualTo(6);
    Reply selected = discovery.post("/api/v1/me/profiles/" + kids.json().getString("id") + "/select", parent, null);
    assertThat(selected.status()).as(selected.body()).isEqualTo(200);
    String child = selected.json().getString("accessToken");

    Reply childList = discovery.get(list, child);
    assertThat(ids(childList)).containsExactly(cartoon);
    assertThat(childList.json().getInteger("total")).isEqualTo(1);
    assertThat(ids(discovery.get("/api/v1/discovery/search?q=nightshade", child))).containsExactly(cartoon);
    assertThat(discovery.get("/api/v1/discovery/search/suggest?q=nightsh", child).items().stream()
      .map(i -> ((JsonObject) i).getString("title")).toList()).containsExactly("Nightshade Cartoons");
    assertThat(discovery.get("/api/v1/discovery/programs/" + thriller, child).status()).isEqualTo(404);
    assertThat(discovery.get("/api/v1/discovery/programs/" + unrated, child).status()).isEqualTo(404);
    assertThat(discovery.get("/api/v1/discovery/programs/" + cartoon, child).status()).isEqualTo(200);
    Reply graph = discovery.post("/graphql", child, new JsonObject().put("query", "{ program(id: \"" + thriller
      + "\") { title } search(q: \"nightshade\", genre: \"family\") { total facets { kind { value count } } } }"));
    assertThat(graph.json().getJsonObject("data").getValue("program")).isNull();
    JsonObject childSearch = graph.json().getJsonObject("data").getJsonObject("search");
    assertThat(childSearch.getInteger("total")).isEqualTo(1);
    assertThat(childSearch.getJsonObject("facets").getJsonArray("kind").getJsonObject(0).getInteger("count"))
      .isEqualTo(1);
    Reply play = discovery.post("/api/v1/play/program/" + thriller, child, null);
    assertThat(play.status()).isEqualTo(403);
    assertThat(play.json().getJsonObject("error").getJsonObject("details").getString("reason"))
      .isEqualTo("PARENTAL_BLOCK");
    // and the account still sees the thriller: the kids' answers went to their own tier
    assertThat(discovery.get("/api/v1/discovery/programs/" + thriller, parent).status()).isEqualTo(200);
    assertThat(ids(discovery.get(list, parent))).contains(thriller);

    // a limited profile cannot manage profiles; a PIN-protected one is not selected without its PIN
    assertThat(discovery.post("/api/v1/me/profiles", child, new JsonObject().put("name", "Mine")).status())
      .isEqualTo(403);
    Reply locked = discovery.post("/api/v1/me/profiles", parent, new JsonObject().put("name", "Parent")
      .put("pin", "4321"));
    assertThat(locked.json().getBoolean("hasPin")).isTrue();
    String select = "/api/v1/me/profiles/" + locked.json().getString("id") + "/select";
    Reply noPin = discovery.post(select, child, null);
    assertThat(noPin.status()).isEqualTo(403);
    assertThat(noPin.json().getJsonObject("error").getJsonObject("details").getString("reason"))
      .isEqualTo("PIN_REQUIRED");
    assertThat(discovery.post(select, child, new JsonObject().put("pin", "1234")).status()).isEqualTo(403);
    Reply withPin = discovery.post(select, child, new JsonObject().put("pin", "4321"));
    assertThat(withPin.status()).isEqualTo(200);
    assertThat(discovery.get("/api/v1/discovery/programs/" + thriller, withPin.json().getString("accessToken"))
      .status()).isEqualTo(200);
    assertThat(discovery.post("/api/v1/me/profiles", parent, new JsonObject().put("name", "Odd")
      .put("maxAgeRating", 13)).status()).isEqualTo(400);
  }
}
