package io.mediamesh.discoverygateway;

import io.mediamesh.common.stream.PathTokens;
import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.ContractClient.Reply;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.Multipart;
import io.mediamesh.testkit.TestClock;
import io.mediamesh.testkit.TopicReader;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Topics;
import io.mediamesh.testkit.TestInfra;
import io.mediamesh.testkit.TestMedia;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Playback end to end, through both gateways, against real PostgreSQL, Redis, Kafka, the S3 store and FFmpeg:
 * programs transcoded by the processing service, rights set by an editor, plans by an admin; viewers play through
 * the discovery gateway and load the stream bytes through the signed URL. Every service reads one test clock, which
 * the rental and stream-limit tests move.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaybackIT {

  static final Duration READY = Duration.ofSeconds(240);
  static final String SECRET = "playback-it-" + UUID.randomUUID();
  static final String EDITOR_EMAIL = "playback-editor@mediamesh.test";
  static final String PASSWORD = "Us3r-pass-" + UUID.randomUUID().toString().substring(0, 8);

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final TestClock clock = TestClock.running();
  private final AtomicInteger users = new AtomicInteger();
  private final Map<String, String> emails = new java.util.concurrent.ConcurrentHashMap<>();
  private GatewayPlatform platform;
  private ContractClient cms;
  private ContractClient discovery;
  private String admin;
  private String editor;
  private String free;
  private String rented;
  private String subscribed;
  private TopicReader events;

  @BeforeAll
  void start(TestInfra infra, @TempDir Path work, @TempDir Path files) throws Exception {
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "media", "processing", "playback", "cms-gateway",
        "discovery-gateway"),
      new JsonObject().put("stream", new JsonObject().put("signingKey", SECRET))
        .put("services", new JsonObject()
          .put("processing", new JsonObject().put("workDir", work.toString()).put("pollIntervalMs", 100))
          .put("playback", new JsonObject().put("sweepIntervalMs", 200))
          .put("discovery-gateway", new JsonObject().put("rateLimits", new JsonObject()
            .put("writes", new JsonObject().put("limit", 10_000).put("windowSeconds", 60))))),
      clock);
    cms = platform.client(vertx, "cms-gateway");
    discovery = platform.client(vertx, "discovery-gateway");
    events = new TopicReader(infra.kafka().bootstrapServers(), Topics.PLAYBACK);
    admin = GatewayPlatform.loginAdmin(cms);
    editor = GatewayPlatform.createUser(cms, admin, EDITOR_EMAIL, "Edit0r-pass-1", "EDITOR");
    free = program("Free to watch", files);
    rented = program("For rent", files);
    subscribed = program("For subscribers", files);
    assertThat(cms.put("/api/v1/rights/program/" + free, editor, new JsonObject()
      .put("access", new JsonObject().put("type", "FREE")), Map.of()).status()).isEqualTo(200);
    Reply tvod = cms.put("/api/v1/rights/program/" + rented, editor, new JsonObject().put("access", new JsonObject()
      .put("type", "TRANSACTIONAL").put("purchasePrice", 1299).put("rentalPrice", 399)), Map.of());
    assertThat(tvod.status()).as(tvod.body()).isEqualTo(200);
    assertThat(tvod.json().getJsonObject("access").getString("currency")).as("the configured default").isEqualTo("USD");
    String probe = viewer();
    for (String id : List.of(free, rented, subscribed)) {
      Await.until("program " + id + " is published and ready in playback", READY, () -> {
        Reply r = discovery.post("/api/v1/play/program/" + id, probe, null);
        return r.status() == 201 || "NOT_ENTITLED".equals(reason(r));
      });
    }
  }

  @AfterAll
  void stop() {
    if (events != null) {
      events.close();
    }
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  /** A published program with a short transcoded video. */
  private String program(String title, Path files) throws Exception {
    String id = cms.post("/api/v1/cms/programs", editor, new JsonObject().put("title", title)).json().getString("id");
    Path clip = TestMedia.video(files, UUID.randomUUID() + ".mp4", 426, 240, 8);
    HttpResponse<String> upload = Multipart.post(platform.url("cms-gateway") + "/api/v1/media/upload", editor,
      Map.of("contentId", id, "contentType", "PROGRAM"), "video/mp4", () -> open(clip));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
    assertThat(cms.post("/api/v1/cms/programs/" + id + "/publish", editor, new JsonObject()).status()).isEqualTo(200);
    return id;
  }

  /** A new viewer (role USER), logged in now: tokens are timed by the test clock, which tests move. */
  /**
   * The admin's token, logged in again only when the moved clock has expired it (logins of one account are rate
   * limited, as they should be).
   */
  private String admin() {
    if (cms.get("/api/v1/auth/me", admin).status() != 200) {
      admin = GatewayPlatform.loginAdmin(cms);
    }
    return admin;
  }

  private String viewer() {
    String email = "viewer" + users.incrementAndGet() + "@mediamesh.test";
    String token = GatewayPlatform.createUser(cms, admin(), email, PASSWORD, "USER");
    emails.put(token, email);
    return token;
  }

  /** The viewer of {@code token} logged in again (after the clock moved past the token's life). */
  private String login(String token) {
    String email = emails.get(token);
    String fresh = GatewayPlatform.login(discovery, email, PASSWORD);
    emails.put(fresh, email);
    return fresh;
  }

  private String editor() {
    return GatewayPlatform.login(cms, EDITOR_EMAIL, "Edit0r-pass-1");
  }

  private String userId(String token) {
    return discovery.get("/api/v1/auth/me", token).json().getString("id");
  }

  /**
   * The events of {@code type} on {@code playback.events} whose data has {@code field} = {@code value}, once at least
   * one arrived; then, the outbox drained and the topic read to its end, all of them (so duplicates show).
   */
  private List<JsonObject> awaitEvents(String type, String field, String value) {
    java.util.function.Supplier<List<JsonObject>> matching = () -> events.poll().stream()
      .map(r -> EventEnvelope.decode(io.vertx.core.buffer.Buffer.buffer(r.value())))
      .filter(e -> e.type().equals(type) && value.equals(e.data().getString(field)))
      .map(EventEnvelope::data).toList();
    Await.until(type + " with " + field + " " + value, READY, () -> !matching.get().isEmpty());
    events.afterOutbox(platform.platform(), "playback", READY);
    return matching.get();
  }

  private static String reason(Reply r) {
    JsonObject error = r.json() == null ? null : r.json().getJsonObject("error");
    return error == null ? null : error.getJsonObject("details", new JsonObject()).getString("reason");
  }

  private HttpResponse<byte[]> fetch(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private int fetchStatus(String url) {
    try {
      return fetch(url).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String absolute(String manifestUrl) {
    return manifestUrl.startsWith("/") ? platform.url("discovery-gateway") + manifestUrl : manifestUrl;
  }

  @Test
  void anAnonymousPlayIs401AndAViewerWithoutRightsIsRefused() {
    assertThat(discovery.post("/api/v1/play/program/" + subscribed, null, null).status()).isEqualTo(401);
    String viewer = viewer();
    Reply refused = discovery.post("/api/v1/play/program/" + subscribed, viewer, null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(reason(refused)).isEqualTo("NOT_ENTITLED");
    assertThat(reason(discovery.post("/api/v1/play/program/" + rented, viewer, null))).isEqualTo("NOT_ENTITLED");
    assertThat(discovery.post("/api/v1/play/program/" + UUID.randomUUID(), viewer, null).status()).isEqualTo(404);
    Reply badType = discovery.post("/api/v1/play/channels/" + free, viewer, null);
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.body()).contains("contentType");
    // a purchase of content that is not for sale
    Reply notForSale = discovery.post("/api/v1/purchases", viewer, new JsonObject().put("contentType", "program")
      .put("contentId", subscribed));
    assertThat(notForSale.status()).isEqualTo(409);
  }

  @Test
  void aFreeProgramPlaysThroughItsSignedUrlAndContinueWatchingShowsTheLastPosition() throws Exception {
    String viewer = viewer();
    Reply play = discovery.post("/api/v1/play/program/" + free, viewer, null);
    assertThat(play.status()).as(play.body()).isEqualTo(201);
    JsonObject session = play.json();
    assertThat(session.getString("via")).isEqualTo("FREE");
    assertThat(session.getInteger("resumePositionSeconds")).isZero();
    String master = absolute(session.getString("manifestUrl"));
    assertThat(master).contains("/stream/").endsWith("/master.m3u8");

    HttpResponse<byte[]> playlist = fetch(master);
    assertThat(playlist.statusCode()).isEqualTo(200);
    assertThat(playlist.headers().firstValue("Content-Type")).hasValue("application/vnd.apple.mpegurl");
    String masterText = new String(playlist.body());
    assertThat(masterText).startsWith("#EXTM3U").contains("v240/index.m3u8");
    String base = master.substring(0, master.lastIndexOf('/') + 1);
    HttpResponse<byte[]> media = fetch(base + "v240/index.m3u8");
    assertThat(media.statusCode()).isEqualTo(200);
    String segment = new String(media.body()).lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
    HttpResponse<byte[]> bytes = fetch(base + "v240/" + segment);
    assertThat(bytes.statusCode()).isEqualTo(200);
    assertThat(bytes.headers().firstValue("Content-Type")).hasValue("video/mp2t");
    assertThat(bytes.body().length).isGreaterThan(1000);
    assertThat(bytes.body()[0]).as("an MPEG-TS sync byte").isEqualTo((byte) 0x47);
    HttpResponse<byte[]> range = fetch(base + "v240/" + segment, "Range", "bytes=188-375");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 188-375/" + bytes.body().length);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes.body(), 188, 376));

    // the token covers this session's prefix only, and only as signed
    String token = master.substring(master.indexOf("/stream/") + 8, master.lastIndexOf('/'));
    int at = token.length() - 10; // inside the signature, where every bit counts
    String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    HttpResponse<byte[]> forged = fetch(master.replace(token, tampered));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(new String(forged.body())).contains("\"forbidden\"");
    PathTokens tokens = new PathTokens(SECRET);
    String prefix = "media/" + UUID.randomUUID() + "/hls/";
    String expired = tokens.sign(UUID.randomUUID(), prefix, clock.instant().minusSeconds(1));
    assertThat(fetch(platform.url("discovery-gateway") + "/stream/" + expired + "/master.m3u8").statusCode())
      .isEqualTo(410);
    assertThat(fetch(base + "../../x.ts").statusCode()).as("no way out of the prefix").isIn(400, 404);
    assertThat(fetch(base + "v240/secret.bin").statusCode()).isEqualTo(404);

    String id = session.getString("sessionId");
    Reply beat = discovery.post("/api/v1/play/sessions/" + id + "/heartbeat", viewer,
      new JsonObject().put("positionSeconds", 3));
    assertThat(beat.status()).as(beat.body()).isEqualTo(200);
    assertThat(discovery.post("/api/v1/play/sessions/" + id + "/heartbeat", viewer(),
      new JsonObject().put("positionSeconds", 3)).status()).as("another viewer's session").isEqualTo(404);
    assertThat(discovery.post("/api/v1/play/sessions/" + id + "/heartbeat", viewer,
      new JsonObject().put("positionSeconds", -1)).status()).isEqualTo(400);
    assertThat(discovery.send("DELETE", "/api/v1/play/sessions/" + id + "?positionSeconds=4", viewer, null, Map.of())
      .status()).isEqualTo(204);
    assertThat(discovery.post("/api/v1/play/sessions/" + id + "/heartbeat", viewer,
      new JsonObject().put("positionSeconds", 5)).status()).as("a stopped session").isEqualTo(404);
    // its URL, still unexpired, serves nothing more once the end has reached the gateway
    Await.until("the stopped session's URL is gone", Duration.ofSeconds(30), () -> fetchStatus(master) == 410);
    assertThat(new String(fetch(base + "v240/" + segment).body())).contains("session has ended");

    Reply row = discovery.get("/api/v1/me/continue-watching", viewer);
    assertThat(row.status()).isEqualTo(200);
    assertThat(row.items()).hasSize(1);
    JsonObject item = row.items().getJsonObject(0);
    assertThat(item.getString("contentId")).isEqualTo(free);
    assertThat(item.getInteger("positionSeconds")).isEqualTo(4);
    assertThat(item.getString("title")).isEqualTo("Free to watch");
    assertThat(discovery.get("/api/v1/me/history", viewer).json().getInteger("total")).isEqualTo(1);
    Reply again = discovery.post("/api/v1/play/program/" + free, viewer, null);
    assertThat(again.json().getInteger("resumePositionSeconds")).as("resumes where it stopped").isEqualTo(4);
  }

  @Test
  void aRentalPlaysFor48HoursFromItsFirstPlayThenExpires() {
    String viewer = viewer();
    Reply rent = discovery.post("/api/v1/rentals", viewer, new JsonObject().put("contentType", "program")
      .put("contentId", rented));
    assertThat(rent.status()).as(rent.body()).isEqualTo(201);
    assertThat(rent.json().getJsonObject("order").getString("message")).contains("no payment was taken");
    assertThat(rent.json().getJsonObject("order").getInteger("amount")).isEqualTo(399);
    assertThat(rent.json().getJsonObject("rental").getString("state")).isEqualTo("NOT_STARTED");
    assertThat(discovery.post("/api/v1/rentals", viewer, new JsonObject().put("contentType", "program")
      .put("contentId", rented)).status()).as("rented already").isEqualTo(409);

    Instant firstPlay = clock.instant();
    Reply play = discovery.post("/api/v1/play/program/" + rented, viewer, null);
    assertThat(play.status()).as(play.body()).isEqualTo(201);
    assertThat(play.json().getString("via")).isEqualTo("RENTAL");
    Instant until = Instant.parse(play.json().getString("until"));
    assertThat(Duration.between(firstPlay, until).toMinutes()).isBetween(48 * 60L - 1, 48 * 60L + 1);
    JsonObject rental = discovery.get("/api/v1/me/entitlements", viewer).json().getJsonArray("rentals")
      .getJsonObject(0);
    assertThat(rental.getString("state")).isEqualTo("ACTIVE");

    clock.advance(Duration.ofHours(47));
    String later = login(viewer);
    Reply stillPlays = discovery.post("/api/v1/play/program/" + rented, later, null);
    assertThat(stillPlays.status()).as("47 h after the first play").isEqualTo(201);
    assertThat(stillPlays.json().getString("until")).isEqualTo(play.json().getString("until"));
    String session = stillPlays.json().getString("sessionId");
    assertThat(discovery.post("/api/v1/play/sessions/" + session + "/heartbeat", later,
      new JsonObject().put("positionSeconds", 10)).status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(61));
    String last = login(viewer);
    Reply expired = discovery.post("/api/v1/play/sessions/" + session + "/heartbeat", last,
      new JsonObject().put("positionSeconds", 20));
    assertThat(expired.status()).isEqualTo(403);
    assertThat(reason(expired)).isEqualTo("RENTAL_EXPIRED");
    assertThat(reason(discovery.post("/api/v1/play/program/" + rented, last, null))).isEqualTo("RENTAL_EXPIRED");
    assertThat(discovery.get("/api/v1/me/entitlements", last).json().getJsonArray("rentals").getJsonObject(0)
      .getString("state")).isEqualTo("EXPIRED");
    // the sweep announces the expiry once, and the session the heartbeat ended once
    String rightId = rental.getString("id");
    List<JsonObject> expiries = awaitEvents("rental.expired", "rightId", rightId);
    assertThat(expiries).hasSize(1);
    assertThat(expiries.get(0).getString("reason")).isEqualTo("WATCH_WINDOW_ENDED");
    assertThat(expiries.get(0).getString("contentId")).isEqualTo(rented);
    // silent for an hour of the test clock and refused at its heartbeat: whichever came first ended it, once
    List<JsonObject> ends = awaitEvents("playback.session.ended", "sessionId", session);
    assertThat(ends).hasSize(1);
    assertThat(ends.get(0).getString("reason")).isIn("TIMED_OUT", "RENTAL_EXPIRED");
  }

  @Test
  void aRentalNeverStartedExpiresAfterItsStartWindowWithItsEvent() {
    String viewer = viewer();
    Reply rent = discovery.post("/api/v1/rentals", viewer, new JsonObject().put("contentType", "program")
      .put("contentId", rented));
    assertThat(rent.status()).as(rent.body()).isEqualTo(201);
    String rightId = rent.json().getJsonObject("rental").getString("id");
    clock.advance(Duration.ofDays(30).plusMinutes(1));
    List<JsonObject> expiries = awaitEvents("rental.expired", "rightId", rightId);
    assertThat(expiries).hasSize(1);
    assertThat(expiries.get(0).getString("reason")).isEqualTo("NOT_STARTED_IN_TIME");
    String later = login(viewer);
    assertThat(reason(discovery.post("/api/v1/play/program/" + rented, later, null))).isEqualTo("RENTAL_EXPIRED");
  }

  @Test
  void twoRentalsRacingForOneContentLeaveOneRentalAndAClear409() {
    String viewer = viewer();
    List<CompletableFuture<Reply>> race = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      race.add(CompletableFuture.supplyAsync(() -> discovery.post("/api/v1/rentals", viewer, new JsonObject()
        .put("contentType", "program").put("contentId", rented))));
    }
    List<Reply> replies = race.stream().map(CompletableFuture::join).toList();
    assertThat(replies.stream().map(Reply::status).sorted().toList()).containsExactly(201, 409);
    assertThat(replies.stream().filter(r -> r.status() == 409).findFirst().orElseThrow().body())
      .contains("already holds");
    assertThat(discovery.get("/api/v1/me/entitlements", viewer).json().getJsonArray("rentals")).hasSize(1);
  }

  @Test
  void aPlanOfOneStreamRefusesASecondDeviceUntilTheFirstStopsHeartbeating() throws Exception {
    Reply plan = cms.post("/api/v1/plans", admin(), new JsonObject().put("name", "Solo")
      .put("price", 799).put("periodDays", 30).put("packages", new io.vertx.core.json.JsonArray().add("basic"))
      .put("maxStreams", 1));
    assertThat(plan.status()).as(plan.body()).isEqualTo(201);
    String planId = plan.json().getString("id");
    assertThat(discovery.get("/api/v1/plans", null).items().stream().map(p -> ((JsonObject) p).getString("id")))
      .contains(planId);
    String viewer = viewer();
    Reply subscribe = discovery.post("/api/v1/me/subscription", viewer, new JsonObject().put("planId", planId));
    assertThat(subscribe.status()).as(subscribe.body()).isEqualTo(201);

    Reply first = discovery.post("/api/v1/play/program/" + subscribed, viewer, null);
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(first.json().getString("via")).isEqualTo("SUBSCRIPTION");
    Reply second = discovery.post("/api/v1/play/program/" + subscribed, viewer, null);
    assertThat(second.status()).isEqualTo(403);
    assertThat(reason(second)).isEqualTo("STREAM_LIMIT");

    // the first device goes quiet: after two heartbeat intervals its slot is free
    clock.advance(Duration.ofSeconds(61));
    viewer = login(viewer);
    Reply third = discovery.post("/api/v1/play/program/" + subscribed, viewer, null);
    assertThat(third.status()).as(third.body()).isEqualTo(201);
    assertThat(discovery.post("/api/v1/play/sessions/" + first.json().getString("sessionId") + "/heartbeat", viewer,
      new JsonObject().put("positionSeconds", 30)).status()).as("the quiet session is gone").isEqualTo(404);
    // its end is announced by the sweep, once, though nobody stopped it
    List<JsonObject> quiet = awaitEvents("playback.session.ended", "sessionId", first.json().getString("sessionId"));
    assertThat(quiet).hasSize(1);
    assertThat(quiet.get(0).getString("reason")).isEqualTo("TIMED_OUT");

    // an admin revokes the subscription: the running stream ends at its next heartbeat
    String rightId = discovery.get("/api/v1/me/entitlements", viewer).json().getJsonObject("subscription")
      .getString("id");
    String adminNow = admin();
    String user = userId(viewer);
    assertThat(cms.send("DELETE", "/api/v1/users/" + user + "/grants/" + rightId, adminNow, null, Map.of()).status())
      .isEqualTo(204);
    Reply revoked = discovery.post("/api/v1/play/sessions/" + third.json().getString("sessionId") + "/heartbeat",
      viewer, new JsonObject().put("positionSeconds", 40));
    assertThat(revoked.status()).isEqualTo(403);
    assertThat(reason(revoked)).isEqualTo("NOT_ENTITLED");

    // granted again by the admin; two devices race for the one slot: exactly one wins
    Reply grant = cms.post("/api/v1/users/" + user + "/grants", adminNow, new JsonObject().put("type", "SUBSCRIPTION")
      .put("planId", planId).put("days", 7));
    assertThat(grant.status()).as(grant.body()).isEqualTo(201);
    assertThat(grant.json().getString("source")).isEqualTo("GRANT");
    Reply nobody = cms.post("/api/v1/users/" + UUID.randomUUID() + "/grants", adminNow, new JsonObject()
      .put("type", "SUBSCRIPTION").put("planId", planId).put("days", 7));
    assertThat(nobody.status()).as("a grant to no user").isEqualTo(404);
    String racer = viewer;
    List<CompletableFuture<Reply>> race = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      race.add(CompletableFuture.supplyAsync(() -> discovery.post("/api/v1/play/program/" + subscribed, racer, null)));
    }
    List<Integer> statuses = race.stream().map(CompletableFuture::join).map(Reply::status).sorted().toList();
    assertThat(statuses).containsExactly(201, 403);
  }

  @Test
  void editorsSetRightsAndBadRightsAreRefusedNamingTheField() {
    String editor = editor();
    Reply inherited = cms.get("/api/v1/rights/program/" + subscribed, editor);
    assertThat(inherited.status()).isEqualTo(200);
    assertThat(inherited.json().getString("inherited")).isEqualTo("DEFAULT");
    assertThat(inherited.json().getJsonObject("access").getString("type")).isEqualTo("SUBSCRIPTION");
    Reply bad = cms.put("/api/v1/rights/program/" + subscribed, editor, new JsonObject().put("access",
      new JsonObject().put("type", "TRANSACTIONAL")), Map.of());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("purchasePrice");
    Reply window = cms.put("/api/v1/rights/program/" + subscribed, editor, new JsonObject()
      .put("access", new JsonObject().put("type", "FREE")).put("availableFrom", "2030-01-02T00:00:00Z")
      .put("availableUntil", "2030-01-01T00:00:00Z"), Map.of());
    assertThat(window.status()).isEqualTo(400);
    assertThat(window.body()).contains("availableUntil");
    assertThat(cms.get("/api/v1/rights/program/" + UUID.randomUUID(), editor).status()).isEqualTo(404);
    assertThat(cms.get("/api/v1/rights/program/" + subscribed, viewer()).status()).isEqualTo(403);
    assertThat(cms.get("/api/v1/rights/program/" + subscribed, editor).json().getString("inherited"))
      .as("nothing was written").isEqualTo("DEFAULT");
  }

  private static java.io.InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
