package io.mediamesh.common.runtime;

import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.config.KafkaConfig;
import io.mediamesh.common.events.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import io.vertx.sqlclient.Pool;

/** Readiness procedures for each kind of dependency, each bounded by a timeout. */
public final class Readiness {

  static final long TIMEOUT_MS = 2_000;

  private Readiness() {
  }

  public static void database(HealthChecks checks, Pool pool) {
    checks.register("database", TIMEOUT_MS, p -> pool.query("SELECT 1").execute()
      .onComplete(ar -> p.complete(status(ar.succeeded(), ar.cause()))));
  }

  public static void redis(HealthChecks checks, Redis redis) {
    checks.register("redis", TIMEOUT_MS, p -> redis.send(Request.cmd(Command.PING))
      .onComplete(ar -> p.complete(status(ar.succeeded(), ar.cause()))));
  }

  /** Kafka is up when the cluster describes at least one broker; the admin client lives as long as the checks. */
  public static KafkaAdminClient kafka(Vertx vertx, HealthChecks checks, KafkaConfig kafka) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, KafkaClients.admin(kafka));
    checks.register("kafka", TIMEOUT_MS, p -> admin.describeCluster()
      .onComplete(ar -> p.complete(status(ar.succeeded() && !ar.result().getNodes().isEmpty(), ar.cause()))));
    return admin;
  }

  /** A downstream service is up when it answers its own readiness over the (clustered) bus with UP. */
  public static void downstream(HealthChecks checks, BusClient bus, String service) {
    checks.register("service:" + service, TIMEOUT_MS, p -> bus.<JsonObject>request(Addresses.ready(service),
        new JsonObject(), Caller.anonymous(), TIMEOUT_MS - 200)
      .onComplete(ar -> {
        boolean up = ar.succeeded() && "UP".equals(ar.result().getString("status"));
        p.complete(up ? Status.OK() : Status.KO(new JsonObject().put("reason",
          ar.succeeded() ? "not ready" : ar.cause().getMessage())));
      }));
  }

  static Future<JsonObject> summary(HealthChecks checks) {
    return checks.checkStatus().map(result -> {
      JsonObject json = result.toJson();
      return new JsonObject().put("status", result.getUp() ? "UP" : "DOWN").put("checks", json.getValue("checks"));
    });
  }

  private static Status status(boolean ok, Throwable cause) {
    return ok ? Status.OK() : Status.KO(new JsonObject().put("reason", cause == null ? "down" : cause.getMessage()));
  }
}
