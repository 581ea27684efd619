package io.mediamesh.common.net;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vetted fetcher against a real HTTP server on 127.0.0.1 (allowlisted by address): the streamed GET answers
 * paused with its status and headers and sends the caller's headers at every hop; redirects are checked like the
 * first URL; limits and statuses fail with what a retry could change. No DNS beyond literal addresses.
 */
class SafeFetcherTest {

  private static final String KEY = "test.allowedHosts";
  private static final byte[] FILE = "0123456789abcdefghij".getBytes();

  private static Vertx vertx;
  private static HttpServer server;
  private static SafeFetcher fetcher;
  private static final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(SafeFetcherTest::handle).listen(0, "127.0.0.1"));
    fetcher = new SafeFetcher(vertx, new FetchConfig(List.of("127.0.0.1"), KEY, 5_000, 2, 1000, "test/1"));
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static void handle(HttpServerRequest request) {
    seen.add(request.path() + " " + request.getHeader("Range") + " " + request.getHeader("If-Range") + " "
      + request.getHeader("User-Agent"));
    switch (request.path()) {
      case "/moved" -> request.response().setStatusCode(302).putHeader("Location", "/file").end();
      case "/loop" -> request.response().setStatusCode(307).putHeader("Location", "/loop").end();
      case "/private" -> request.response().setStatusCode(302).putHeader("Location", "http://10.1.2.3/x").end();
      case "/file" -> {
        String range = request.getHeader("Range");
        int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
        request.response().setStatusCode(range == null ? 200 : 206)
          .putHeader("Content-Range", "bytes " + from + "-" + (FILE.length - 1) + "/" + FILE.length)
          .end(Buffer.buffer(FILE).getBuffer(from, FILE.length));
      }
      case "/big" -> request.response().end(Buffer.buffer(new byte[1001]));
      case "/chunked" -> {
        request.response().setChunked(true).write(Buffer.buffer(new byte[600]));
        request.response().end(Buffer.buffer(new byte[600]));
      }
      case "/busy" -> request.response().setStatusCode(503).end();
      default -> request.response().setStatusCode(404).end();
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  @Test
  void aStreamIsAnsweredPausedAndSendsTheCallersHeadersAtEveryHop() throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Range", "bytes=5-").add("If-Range", "\"v1\"");
    seen.clear();
    Object[] answer = await(fetcher.stream(URI.create(url("/moved")), headers).compose(s -> later(s)).compose(s -> {
      // read a while after the answer: nothing of the body went by meanwhile
      Promise<Buffer> body = Promise.promise();
      Buffer all = Buffer.buffer();
      s.body().handler(all::appendBuffer).endHandler(v -> body.complete(all)).exceptionHandler(body::fail);
      s.body().resume();
      return body.future().map(b -> new Object[] {s.status(), s.header("Content-Range"), b, s.url()});
    }));
    assertThat(answer[0]).isEqualTo(206);
    assertThat(answer[1]).isEqualTo("bytes 5-19/20");
    assertThat(((Buffer) answer[2]).toString()).isEqualTo("56789abcdefghij");
    assertThat(answer[3]).hasToString(url("/file"));
    assertThat(seen).containsExactly("/moved bytes=5- \"v1\" test/1", "/file bytes=5- \"v1\" test/1");
  }

  @Test
  void everyHopIsCheckedLikeTheFirstUrl() {
    assertThat(failure(fetcher.stream(URI.create(url("/private")), MultiMap.caseInsensitiveMultiMap())))
      .hasMessage("refused: 10.1.2.3 is a private, loopback or link-local address and not in " + KEY)
      .satisfies(f -> assertThat(f.retryable()).isFalse());
    assertThat(failure(fetcher.stream(URI.create(url("/loop")), MultiMap.caseInsensitiveMultiMap())))
      .hasMessage("refused: more than 2 redirects");
    SafeFetcher closed = new SafeFetcher(vertx, new FetchConfig(List.of(), KEY, 5_000, 2, 1000, "test/1"));
    assertThat(failure(closed.fetch(URI.create(url("/file")), "*/*")))
      .hasMessage("refused: 127.0.0.1 is a private, loopback or link-local address and not in " + KEY);
    assertThat(failure(fetcher.fetch(URI.create("file:///etc/passwd"), "*/*")))
      .hasMessage("refused: only http and https URLs may be fetched, not 'file:'");
  }

  @Test
  void limitsAndStatusesFailWithWhetherARetryMayHelp() throws Exception {
    assertThat(failure(fetcher.stream(URI.create(url("/big")), MultiMap.caseInsensitiveMultiMap())))
      .as("by its Content-Length, before a byte is read").hasMessage("refused: the response is larger than 1000 bytes");
    assertThat(failure(fetcher.fetch(URI.create(url("/chunked")), "*/*")))
      .as("by the running count").hasMessage("refused: the response is larger than 1000 bytes");
    assertThat(await(fetcher.fetch(URI.create(url("/file")), "*/*")).getBytes()).isEqualTo(FILE);
    FetchFailure gone = failure(fetcher.stream(URI.create(url("/gone")), MultiMap.caseInsensitiveMultiMap()));
    assertThat(gone).hasMessage("source answered HTTP 404");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.retryable()).isFalse();
    FetchFailure busy = failure(fetcher.fetch(URI.create(url("/busy")), "*/*"));
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.retryable()).isTrue();
  }

  private static <T> Future<T> later(T value) {
    Promise<T> p = Promise.promise();
    vertx.setTimer(200, id -> p.complete(value));
    return p.future();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static FetchFailure failure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FetchFailure.class);
      return (FetchFailure) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the fetch succeeded");
  }
}
