package io.mediamesh.common.http;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.observability.RequestContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real HTTP server with the edge handlers: failures become the one error shape with the right status. */
class EdgeHandlersTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(EdgeHandlers.trace());
    router.get("/conflict").handler(ctx -> ctx.fail(ServiceException.conflict("version 3 is stale")));
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("secret internals");
    });
    router.get("/trace").handler(ctx -> ctx.json(new JsonObject()
      .put("traceId", RequestContext.current().traceId())
      .put("requestId", RequestContext.current().requestId())));
    router.route().failureHandler(EdgeHandlers.failure());
    router.route().last().handler(ctx -> ctx.fail(404));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Reply get(String path, String traceparent) throws Exception {
    return client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path)
      .compose(req -> {
        if (traceparent != null) {
          req.putHeader("traceparent", traceparent);
        }
        // body() must be asked for in the same event-loop turn as the response arrives, so it is nested here
        return req.send().compose(resp -> resp.body().map(body -> new Reply(resp, body.toString())));
      })
      .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  record Reply(HttpClientResponse response, String body) {
    JsonObject error() {
      return new JsonObject(body).getJsonObject("error");
    }
  }

  @Test
  void serviceFailureMapsToItsStatusAndShapeWithTheTraceId() throws Exception {
    Reply r = get("/conflict", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(r.response().statusCode()).isEqualTo(409);
    assertThat(r.response().getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(r.error().getString("code")).isEqualTo("conflict");
    assertThat(r.error().getString("message")).isEqualTo("version 3 is stale");
    assertThat(r.error().getString("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(r.response().getHeader("traceparent")).contains("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void unexpectedFailureIs500WithoutInternals() throws Exception {
    Reply r = get("/boom", null);
    assertThat(r.response().statusCode()).isEqualTo(500);
    assertThat(r.error().getString("code")).isEqualTo("internal_error");
    assertThat(r.body()).doesNotContain("secret internals").doesNotContain("Exception").doesNotContain("at io.");
  }

  @Test
  void unknownPathIs404InTheSameShape() throws Exception {
    Reply r = get("/nowhere", null);
    assertThat(r.response().statusCode()).isEqualTo(404);
    assertThat(r.error().getString("code")).isEqualTo("not_found");
    assertThat(r.error().getString("traceId")).matches("[0-9a-f]{32}");
  }

  @Test
  void handlersSeeTheRequestContextAndTheResponseEchoesIt() throws Exception {
    Reply r = get("/trace", null);
    JsonObject body = new JsonObject(r.body());
    assertThat(r.response().getHeader("traceparent")).contains(body.getString("traceId"));
    assertThat(r.response().getHeader(EdgeHandlers.REQUEST_ID_HEADER)).isEqualTo(body.getString("requestId"));
  }
}
