package io.mediamesh.common.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpEdge} on a real Vert.x HTTP server, spoken to over raw sockets as a hostile client would: slow
 * headers, drip-fed bodies and idle sockets are closed; ambiguous framing is a 400 and close; oversized request
 * lines and headers are a 414 and 431 in the error shape. The header and body timeouts are one second and the idle
 * timeout a minute, so only the edge's own rules can close a connection within the 10 s bound of each wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpEdgeTest {

  private final Vertx vertx = Vertx.vertx();
  private int port;

  @BeforeAll
  void start() throws Exception {
    JsonObject root = new JsonObject().put("http", new JsonObject().put("host", "127.0.0.1")
      .put("idleTimeoutSeconds", 60).put("headerTimeoutSeconds", 1).put("bodyTimeoutSeconds", 1)
      .put("bodyMinBytesPerSecond", 100));
    HttpEdge.Settings settings = HttpEdge.Settings.from(root, "edge");
    Router router = Router.router(vertx);
    router.route().handler(EdgeHandlers.trace());
    router.post("/echo").handler(ctx -> {
      HttpEdge.watchBody(ctx.request()); // this body is read whole: held to the minimum rate
      ctx.next();
    });
    router.post("/echo").handler(BodyHandler.create()).handler(ctx -> ctx.response().end(ctx.body().buffer()));
    // a handler that keeps the request paused a while (as a gateway does while it asks other services)
    router.post("/slow").handler(ctx -> {
      ctx.request().pause();
      vertx.setTimer(2500, id -> ctx.response().end("done"));
    });
    router.get("/hello").handler(ctx -> ctx.response().end("hello"));
    router.route().failureHandler(EdgeHandlers.failure());
    HttpServer server = vertx.createHttpServer(settings.options(0));
    // installed from a context, as a verticle does, so the sweep runs on the server's event loop
    port = vertx.getOrCreateContext().<HttpServer>executeBlocking(() -> server, false)
      .compose(s -> {
        HttpEdge.install(vertx, s, settings, router);
        return s.listen();
      }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Socket open() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000); // the bound on every wait below
    return s;
  }

  /** Everything the server sends until it closes the connection; fails if it has not closed within the bound. */
  private static String untilClosed(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open; it sent: " + out.toString(StandardCharsets.UTF_8));
    } catch (IOException reset) {
      // a reset after close counts as closed
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static JsonObject errorOf(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
  }

  @Test
  void halfSentHeadersAreClosed() throws Exception {
    try (Socket s = open()) {
      send(s, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      assertThat(untilClosed(s)).doesNotContain("hello");
    }
  }

  @Test
  void aDripFedBodyIsA408AndClosed() throws Exception {
    try (Socket s = open()) {
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n");
      send(s, "a");
      // a byte now and then, far under 100 bytes/s, for as long as the server lets the connection live
      s.setSoTimeout(200);
      String answer = "";
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      for (int i = 0; i < 50 && answer.isEmpty(); i++) {
        try {
          send(s, "b");
          byte[] buf = new byte[4096];
          int n = s.getInputStream().read(buf);
          if (n > 0) {
            got.write(buf, 0, n);
            answer = got.toString(StandardCharsets.UTF_8);
          } else if (n < 0) {
            break;
          }
        } catch (SocketTimeoutException e) {
          // nothing yet: drip another byte
        } catch (IOException closed) {
          break;
        }
      }
      s.setSoTimeout(10_000);
      String rest = answer + untilClosed(s);
      assertThat(rest).startsWith("HTTP/1.1 408");
      assertThat(errorOf(rest).getString("code")).isEqualTo("request_timeout");
    }
  }

  @Test
  void aRequestTheServerKeepsPausedIsNotTakenForASlowClient() throws Exception {
    try (Socket s = open()) {
      // a body the handler never reads (it pauses the request), answered after longer than the body timeout
      send(s, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\nConnection: close\r\n\r\n" + "a".repeat(100));
      String all = untilClosed(s);
      assertThat(all).startsWith("HTTP/1.1 200").endsWith("done");
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterItsAnswer() throws Exception {
    try (Socket s = open()) {
      send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      String all = untilClosed(s);
      assertThat(all).startsWith("HTTP/1.1 200").endsWith("hello");
    }
  }

  @Test
  void keptAliveConnectionsServeSeveralRequests() throws Exception {
    try (Socket s = open()) {
      send(s, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String all = untilClosed(s);
      assertThat(all.split("HTTP/1.1 200", -1)).hasSize(3);
    }
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAndClosed() throws Exception {
    try (Socket s = open()) {
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
      String all = untilClosed(s);
      assertThat(all).matches("(?s)HTTP/1\\.[01] 400.*").doesNotContain("hello");
      assertThat(errorOf(all).getString("message")).contains("Transfer-Encoding");
    }
  }

  @Test
  void anUnknownTransferCodingIsRefusedAndClosed() throws Exception {
    try (Socket s = open()) {
      send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
      String all = untilClosed(s);
      assertThat(all).startsWith("HTTP/1.1 400");
      assertThat(all.split("HTTP/1", -1)).as("one answer, then closed: the body is never read as a request").hasSize(2);
      assertThat(errorOf(all).getString("message")).contains("Transfer-Encoding");
    }
  }

  @Test
  void aDuplicateHostIsRefusedAndClosed() throws Exception {
    try (Socket s = open()) {
      send(s, "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
      String all = untilClosed(s);
      assertThat(all).startsWith("HTTP/1.1 400");
      assertThat(errorOf(all).getString("message")).contains("Host");
    }
  }

  /** Sends {@code request} on a new connection and returns all the server says before it closes. */
  private String refusedAndClosed(String request, int status) throws Exception {
    try (Socket s = open()) {
      send(s, request);
      String all = untilClosed(s);
      assertThat(all).as(request.length() > 80 ? request.substring(0, 80) : request)
        .matches("(?s)HTTP/1\\.[01] " + status + ".*");
      return all;
    }
  }

  @Test
  void oversizedRequestLinesAndHeadersAreRefusedInTheErrorShape() throws Exception {
    String longLine = refusedAndClosed("GET /hello?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    assertThat(errorOf(longLine).getString("code")).isEqualTo("uri_too_long");
    String bigHeaders = refusedAndClosed("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000)
      + "\r\n\r\n", 431);
    assertThat(errorOf(bigHeaders).getString("code")).isEqualTo("request_headers_too_large");
  }
}
