package io.mediamesh.testkit;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.BusService;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.observability.RequestContext;
import io.mediamesh.common.observability.TraceContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Two real clustered Vert.x nodes (Hazelcast on loopback) exchange requests with caller, trace and failures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

  private List<Vertx> nodes;
  private final String secretOfNodeA = UUID.randomUUID().toString();

  @BeforeAll
  void start() {
    nodes = Clusters.start(2);
    BusService service = BusService.create(nodes.get(0), "clustered")
      .handle("whoami", Access.authenticated(), req -> Future.succeededFuture(new JsonObject()
        .put("node", secretOfNodeA)
        .put("caller", req.caller().userId())
        .put("traceId", RequestContext.current().traceId())))
      .handle("editors", Access.roles(Role.EDITOR), req -> Future.succeededFuture(new JsonObject()));
    Await.result(service.registered());
  }

  @AfterAll
  void stop() {
    Clusters.stop(nodes);
  }

  @Test
  void requestFromOneNodeIsAnsweredByTheOther() {
    Vertx nodeB = nodes.get(1);
    BusClient client = new BusClient(nodeB, 5_000);
    TraceContext trace = TraceContext.root();
    Promise<JsonObject> reply = Promise.promise();
    RequestContext.bind(nodeB, new RequestContext(trace, "r-1")).runOnContext(v ->
      client.<JsonObject>request(Addresses.of("clustered", "whoami"), new JsonObject(), Caller.of("u-9", Role.USER))
        .onComplete(reply));
    JsonObject body = Await.result(reply.future());
    assertThat(body.getString("node")).isEqualTo(secretOfNodeA);
    assertThat(body.getString("caller")).isEqualTo("u-9");
    assertThat(body.getString("traceId")).isEqualTo(trace.traceId());
  }

  @Test
  void failuresCrossTheClusterCoded() {
    BusClient client = new BusClient(nodes.get(1), 5_000);
    Throwable anonymous = Await.failure(client.request(Addresses.of("clustered", "whoami"), null, Caller.anonymous()));
    assertThat(((ServiceException) anonymous).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    Throwable user = Await.failure(client.request(Addresses.of("clustered", "editors"), null, Caller.of("u", Role.USER)));
    assertThat(((ServiceException) user).code()).isEqualTo(ErrorCode.FORBIDDEN);
  }
}
