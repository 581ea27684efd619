package io.mediamesh.common.bus;

import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.observability.TraceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** BusService and BusClient on a real (local) event bus: roles checked in the service, failures coded. */
class BusRoundTripTest {

  private static Vertx vertx;
  private static BusClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    BusService service = BusService.create(vertx, "demo")
      .handle("echo", Access.anyone(), req -> Future.succeededFuture(new JsonObject()
        .put("got", req.body().getString("say"))
        .put("caller", req.caller().userId())
        .put("traceId", RequestContext.current().traceId())))
      .handle("admin.only", Access.roles(Role.ADMIN), req -> Future.succeededFuture(new JsonObject().put("ok", true)))
      .handle("explode", Access.anyone(), req -> {
        throw new IllegalStateException("bug");
      })
      .handle("invalid", Access.anyone(), req -> Future.failedFuture(ServiceException.validation("title", "too long")));
    service.registered().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client = new BusClient(vertx, 2_000);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static ServiceException failure(Future<?> f) throws Exception {
    CompletableFuture<ServiceException> out = new CompletableFuture<>();
    f.onComplete(ar -> out.complete(ar.failed() ? (ServiceException) ar.cause() : null));
    ServiceException e = out.get(10, TimeUnit.SECONDS);
    assertThat(e).as("expected a failure").isNotNull();
    return e;
  }

  @Test
  void replyCarriesCallerAndTheCallersTrace() throws Exception {
    TraceContext trace = TraceContext.root();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    RequestContext.bind(vertx, new RequestContext(trace, "req-1")).runOnContext(v ->
      client.<JsonObject>request(Addresses.of("demo", "echo"), new JsonObject().put("say", "hi"),
        Caller.of("u7", Role.USER)).onComplete(ar -> {
          if (ar.succeeded()) {
            reply.complete(ar.result());
          } else {
            reply.completeExceptionally(ar.cause());
          }
        }));
    JsonObject body = reply.get(10, TimeUnit.SECONDS);
    assertThat(body.getString("got")).isEqualTo("hi");
    assertThat(body.getString("caller")).isEqualTo("u7");
    assertThat(body.getString("traceId")).isEqualTo(trace.traceId());
  }

  @Test
  void serviceChecksRolesItself() throws Exception {
    String address = Addresses.of("demo", "admin.only");
    assertThat(failure(client.request(address, new JsonObject(), Caller.anonymous())).code())
      .isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(failure(client.request(address, new JsonObject(), Caller.of("u1", Role.EDITOR))).code())
      .isEqualTo(ErrorCode.FORBIDDEN);
    JsonObject ok = await(client.request(address, new JsonObject(), Caller.of("u2", Role.ADMIN)));
    assertThat(ok.getBoolean("ok")).isTrue();
  }

  @Test
  void failuresArriveCoded() throws Exception {
    ServiceException invalid = failure(client.request(Addresses.of("demo", "invalid"), null, Caller.anonymous()));
    assertThat(invalid.code()).isEqualTo(ErrorCode.VALIDATION);
    assertThat(invalid.details().getJsonObject("fields").getString("title")).isEqualTo("too long");
    ServiceException bug = failure(client.request(Addresses.of("demo", "explode"), null, Caller.anonymous()));
    assertThat(bug.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(bug.getMessage()).isEqualTo("internal error");
    ServiceException missing = failure(client.request(Addresses.of("nobody", "home"), null, Caller.anonymous()));
    assertThat(missing.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    ServiceException notAnObject = failure(client.request(Addresses.of("demo", "echo"), "text", Caller.anonymous()));
    assertThat(notAnObject.code()).isEqualTo(ErrorCode.VALIDATION);
  }
}
