package io.mediamesh.ingest;

import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.ServiceHarness;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ingest refuses to fetch, with only {@code localhost} allowlisted (by name) while the fixture server listens
 * on 127.0.0.1: the address itself, a redirect to it, other schemes, hostile sizes and an XXE feed. Each refusal
 * fails the job at once (no retry) with a clear error, and the refused target is never even requested. Ingest runs
 * alone: a refused fetch never gets as far as the CMS.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestSafetyIT {

  private ServiceHarness ingest;
  private Caller editor;
  private FixtureServer server;

  @BeforeAll
  void start(TestInfra infra) {
    PlatformConfig config = infra.platformConfig(new JsonObject()
      .put("auth", new JsonObject().put("serviceClients", new JsonObject()
        .put("ingest", "safety-it-secret-" + UUID.randomUUID())))
      .put("ingest", new JsonObject().put("allowedHosts", "localhost").put("maxAttempts", 3)
        .put("initialBackoffMs", 100).put("pollIntervalMs", 100).put("maxResponseBytes", 65536)
        .put("maxRedirects", 3).put("fetchTimeoutMs", 1500)));
    ingest = ServiceHarness.start(config, List.of(IngestModule::new), Clock.systemUTC());
    editor = ingest.caller(Role.EDITOR);
    server = new FixtureServer(ingest.platform().vertx()).file("/podcast.xml", "podcast.xml", "application/rss+xml");
  }

  @AfterAll
  void stop() {
    server.close();
    ingest.close();
  }

  private JsonObject failedJob(String type, String url) {
    String id = ingest.<JsonObject>call(IngestApi.JOBS_CREATE, new JsonObject().put("sourceType", type)
      .put("sourceUrl", url), editor).getString("id");
    return Await.value("job " + id + " FAILED", Duration.ofSeconds(20),
      () -> ingest.<JsonObject>call(IngestApi.JOBS_GET, new JsonObject().put("id", id), editor),
      job -> job.getString("status").equals("FAILED"));
  }

  private ServiceException refused(Operation<?> operation, JsonObject body, Caller caller) {
    return ingest.refused(operation, body, caller);
  }

  @Test
  void aLoopbackAddressThatIsNotAllowlistedIsRefusedWithoutARequest() {
    JsonObject job = failedJob("RSS", server.url("/podcast.xml"));
    assertThat(job.getString("error")).isEqualTo("refused: 127.0.0.1 is a private, loopback or link-local address "
      + "and not in ingest.allowedHosts");
    assertThat(job.getInteger("attempts")).isEqualTo(1); // a refusal is not retried
    assertThat(server.hits("/podcast.xml")).isEmpty();
  }

  @Test
  void privateAndLinkLocalAddressesAreRefused() {
    for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/feed.xml",
      "http://[::1]:" + server.port() + "/podcast.xml", "http://0.0.0.0:" + server.port() + "/podcast.xml")) {
      assertThat(failedJob("RSS", url).getString("error")).as(url).startsWith("refused: ")
        .contains("not in ingest.allowedHosts");
    }
  }

  @Test
  void theAllowlistedNameIsFetchedButARedirectToAnAddressThatIsNotIsRefused() {
    server.redirect("/moved", server.url("/podcast.xml"));
    JsonObject job = failedJob("RSS", server.localhostUrl("/moved"));
    assertThat(job.getString("error")).startsWith("refused: 127.0.0.1 is a private");
    assertThat(server.hits("/moved")).hasSize(1);
    assertThat(server.hits("/podcast.xml")).isEmpty();
  }

  @Test
  void otherSchemesAreRefusedOnCreationAndOnRedirect() {
    for (String url : List.of("file:///etc/passwd", "ftp://example.org/feed.xml", "jar:file:/x.jar!/feed.xml",
      "gopher://localhost:70/")) {
      ServiceException e = refused(IngestApi.JOBS_CREATE, new JsonObject().put("sourceType", "RSS")
        .put("sourceUrl", url), editor);
      assertThat(e.code()).as(url).isEqualTo(ErrorCode.VALIDATION);
      assertThat(e.details().getJsonObject("fields").fieldNames()).containsExactly("sourceUrl");
    }
    assertThat(refused(IngestApi.SOURCES_CREATE, new JsonObject().put("type", "RSS").put("url", "file:///etc/passwd"),
      editor).details().getJsonObject("fields").fieldNames()).containsExactly("url");
    server.redirect("/to-file", "file:///etc/passwd");
    assertThat(failedJob("RSS", server.localhostUrl("/to-file")).getString("error"))
      .isEqualTo("refused: only http and https URLs may be fetched, not 'file:'");
  }

  @Test
  void redirectLoopsOversizedAndSlowResponsesAreCutOff() {
    server.redirect("/loop", server.localhostUrl("/loop"));
    assertThat(failedJob("RSS", server.localhostUrl("/loop")).getString("error"))
      .isEqualTo("refused: more than 3 redirects");
    assertThat(server.hits("/loop")).hasSize(4);
    server.route("/huge", req -> {
      req.response().setChunked(true);
      for (int i = 0; i < 200; i++) {
        req.response().write(Buffer.buffer(new byte[1024]));
      }
      req.response().end();
    });
    assertThat(failedJob("RSS", server.localhostUrl("/huge")).getString("error"))
      .isEqualTo("refused: the response is larger than 65536 bytes");
    server.route("/declared-huge", req -> req.response().putHeader("Content-Length", "999999999").write("x"));
    assertThat(failedJob("RSS", server.localhostUrl("/declared-huge")).getString("error"))
      .isEqualTo("refused: the response is larger than 65536 bytes");
    server.route("/stalls", req -> req.response().setChunked(true).write("<rss"));
    JsonObject slow = failedJob("RSS", server.localhostUrl("/stalls"));
    assertThat(slow.getString("error")).isEqualTo("fetch timed out after 1500 ms");
    assertThat(slow.getInteger("attempts")).isEqualTo(3); // a timeout may pass: it was retried
  }

  @Test
  void anXxeFeedLeaksNothing(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-XXE-42");
    String xml = new String(Fixtures.bytes("xxe.xml"), StandardCharsets.UTF_8)
      .replace("SECRET_FILE_URL", secret.toUri().toString())
      .replace("REMOTE_URL", server.localhostUrl("/dtd-probe"));
    server.route("/xxe.xml", req -> req.response().putHeader("Content-Type", "application/rss+xml").end(xml));
    server.route("/dtd-probe", req -> req.response().end("PROBED"));
    JsonObject job = failedJob("RSS", server.localhostUrl("/xxe.xml"));
    assertThat(job.getString("error")).isEqualTo("refused: the feed has a DOCTYPE declaration (DTDs and entities "
      + "are not accepted)");
    assertThat(job.encode()).doesNotContain("TOP-SECRET").doesNotContain("PROBED");
    assertThat(job.getString("programId")).isNull();
    assertThat(server.hits("/dtd-probe")).isEmpty();
  }

  @Test
  void onlyEditorsAndAdminsMayUseIt() {
    JsonObject list = new JsonObject();
    assertThat(refused(IngestApi.JOBS_LIST, list, Caller.anonymous()).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    Caller user = ingest.caller(Role.USER);
    for (Operation<?> address : List.of(IngestApi.JOBS_CREATE, IngestApi.JOBS_LIST, IngestApi.JOBS_RETRY,
      IngestApi.JOBS_DELETE, IngestApi.SOURCES_CREATE, IngestApi.SOURCES_LIST, IngestApi.SOURCES_DELETE)) {
      assertThat(refused(address, list, user).code()).as(address.address()).isEqualTo(ErrorCode.FORBIDDEN);
    }
    Caller admin = ingest.caller(Role.ADMIN);
    assertThat(ingest.<JsonObject>call(IngestApi.SOURCES_LIST, list, admin).containsKey("items")).isTrue();
  }
}
