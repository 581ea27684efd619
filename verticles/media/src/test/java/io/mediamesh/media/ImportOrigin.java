package io.mediamesh.media;

import io.mediamesh.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP origin for imports, on 127.0.0.1: files with a strong ETag and a Last-Modified, {@code Range: bytes=N-}
 * answered 206 unless an {@code If-Range} names another version (then 200 with the whole file, as RFC 9110 says), a
 * connection cut (or stalled) once in the middle of a body on demand (and the file replaced at that moment, if asked),
 * redirects and 404s. It records every request (path, Range, If-Range, the status answered), so a test can say what
 * the importer asked for.
 */
final class ImportOrigin implements AutoCloseable {

  /** One version of a file. */
  record Version(byte[] bytes, String etag, String lastModified, String contentType) {
  }

  /** A request as the origin saw it, and what it answered. */
  record Seen(String path, String range, String ifRange, int status) {
  }

  /**
   * Stop the body after {@code afterBytes}, once: then close the connection and serve {@code replacement}, if any, or
   * ({@code stall}) keep it open without another byte.
   */
  private record Cut(long afterBytes, Version replacement, boolean stall) {
  }

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Version> files = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final Map<String, Cut> cuts = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger versions = new AtomicInteger();
  private final HttpServer server;

  ImportOrigin() {
    server = Await.result(vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1"));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Serves {@code bytes} at {@code path} as a new version (a new ETag); answers that version. */
  Version serve(String path, byte[] bytes, String contentType) {
    Version v = version(bytes, contentType);
    files.put(path, v);
    return v;
  }

  /** A version of a file not served yet (for {@link #cutOnce}'s replacement). */
  Version version(byte[] bytes, String contentType) {
    int n = versions.incrementAndGet();
    return new Version(bytes, "\"v" + n + "-" + bytes.length + "\"",
      HTTP_DATE.format(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(n)), contentType);
  }

  /** The next answer of {@code path} with a body stops after {@code afterBytes} of it, and the connection closes. */
  void cutOnce(String path, long afterBytes, Version replacement) {
    cuts.put(path, new Cut(afterBytes, replacement, false));
  }

  /** The next answer of {@code path} with a body stops after {@code afterBytes} of it, the connection left open. */
  void stallOnce(String path, long afterBytes) {
    cuts.put(path, new Cut(afterBytes, null, true));
  }

  void redirect(String path, String location) {
    redirects.put(path, location);
  }

  List<Seen> seen(String path) {
    return seen.stream().filter(s -> s.path().equals(path)).toList();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    HttpServerResponse response = request.response();
    String range = request.getHeader("Range");
    String ifRange = request.getHeader("If-Range");
    String location = redirects.get(path);
    Version file = files.get(path);
    if (location != null || file == null) {
      int status = location != null ? 302 : 404;
      seen.add(new Seen(path, range, ifRange, status));
      if (location != null) {
        response.putHeader("Location", location);
      }
      response.setStatusCode(status).end();
      return;
    }
    Matcher m = range == null ? null : RANGE.matcher(range);
    boolean current = ifRange == null || ifRange.equals(file.etag()) || ifRange.equals(file.lastModified());
    long from = m != null && m.matches() && current ? Long.parseLong(m.group(1)) : 0;
    int status = from > 0 ? 206 : 200;
    seen.add(new Seen(path, range, ifRange, status));
    Buffer body = Buffer.buffer(file.bytes()).getBuffer((int) from, file.bytes().length);
    response.setStatusCode(status).putHeader("ETag", file.etag()).putHeader("Last-Modified", file.lastModified())
      .putHeader("Accept-Ranges", "bytes").putHeader("Content-Type", file.contentType())
      .putHeader("Content-Length", String.valueOf(body.length()));
    if (status == 206) {
      response.putHeader("Content-Range", "bytes " + from + "-" + (file.bytes().length - 1) + "/"
        + file.bytes().length);
    }
    Cut cut = cuts.remove(path);
    if (cut == null) {
      response.end(body);
      return;
    }
    if (cut.replacement() != null) {
      files.put(path, cut.replacement());
    }
    response.write(body.getBuffer(0, (int) cut.afterBytes())).onComplete(ar -> {
      if (!cut.stall()) {
        request.connection().close();
      }
    });
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
