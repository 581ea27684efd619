package io.mediamesh.search;

import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change committed by another search instance (its generation bump in the database, and nothing else) reaches
 * this instance's cached answers within the poll. Real PostgreSQL, a database of its own.
 */
@ExtendWith(InfraExtension.class)
class ResultCacheIT {

  @Test
  void aGenerationBumpedElsewhereInvalidatesWithinThePoll(TestInfra infra) {
    Vertx vertx = Vertx.vertx();
    Pool pool = infra.migratedPool(vertx, "result_cache", "search");
    try {
      ResultCache cache = new ResultCache(100, 1 << 20, new SimpleMeterRegistry());
      Await.result(cache.watch(vertx, pool, 50)); // the generation it starts from
      AtomicInteger loads = new AtomicInteger();
      java.util.function.Supplier<Future<JsonObject>> load =
        () -> Future.succeededFuture(new JsonObject().put("load", loads.incrementAndGet()));
      assertThat(cache.get("k", load).result().getInteger("load")).isEqualTo(1);
      assertThat(cache.get("k", load).result().getInteger("load")).isEqualTo(1);
      Await.result(pool.withTransaction(tx -> IndexChanges.record(tx, Set.of(UUID.randomUUID()), null)));
      Await.until("reload after the bump", Duration.ofSeconds(2),
        () -> cache.get("k", load).result().getInteger("load") == 2);
      assertThat(loads).hasValue(2);
    } finally {
      Await.result(pool.close());
      Await.result(vertx.close());
    }
  }
}
