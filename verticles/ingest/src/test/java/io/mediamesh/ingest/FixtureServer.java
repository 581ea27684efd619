package io.mediamesh.ingest;

import io.mediamesh.testkit.Await;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sources of the tests: a real HTTP server on 127.0.0.1 serving fixture feeds and whatever a test routes,
 * recording every path asked for (so a test can show a refused address was never even requested).
 */
final class FixtureServer {

  record Hit(String path, long atNanos) {
  }

  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  FixtureServer(Vertx vertx) {
    server = Await.result(vertx.createHttpServer().requestHandler(req -> {
      hits.add(new Hit(req.path(), System.nanoTime()));
      Handler<HttpServerRequest> route = routes.get(req.path());
      if (route == null) {
        req.response().setStatusCode(404).end();
      } else {
        route.handle(req);
      }
    }).listen(0, "127.0.0.1"));
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  String localhostUrl(String path) {
    return "http://localhost:" + port() + path;
  }

  FixtureServer route(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
    return this;
  }

  FixtureServer file(String path, String fixture, String contentType) {
    Buffer body = Buffer.buffer(Fixtures.bytes(fixture));
    return route(path, req -> req.response().putHeader("Content-Type", contentType).end(body));
  }

  FixtureServer redirect(String path, String location) {
    return route(path, req -> req.response().setStatusCode(302).putHeader("Location", location).end());
  }

  List<Hit> hits(String path) {
    return hits.stream().filter(h -> h.path().equals(path)).toList();
  }

  void close() {
    Await.result(server.close());
  }
}
