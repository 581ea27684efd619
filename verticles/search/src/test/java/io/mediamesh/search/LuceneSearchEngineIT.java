package io.mediamesh.search;

import io.mediamesh.common.api.SearchApi;
import io.mediamesh.search.lucene.LuceneSearchEngine;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory copy against a real {@code search_db}, written to as other instances write it (documents and their
 * logged changes, nothing else): it loads what is there, follows changes within its poll, and reloads in full when
 * the changes it needs were pruned from the feed.
 */
@ExtendWith(InfraExtension.class)
class LuceneSearchEngineIT {

  private static final String INSERT = """
    INSERT INTO documents (id, type, title, language, published_at, search, suggest)
    VALUES ($1, 'PROGRAM', $2, 'en', now(), to_tsvector('english', $2), to_tsvector('simple', $2))""";

  private static Future<Long> write(SqlConnection tx, UUID id, String title, boolean logged) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(id, title))
      .compose(v -> IndexChanges.record(tx, logged ? Set.of(id) : Set.of(), null));
  }

  private static long hits(LuceneSearchEngine engine, String q) {
    return Await.result(engine.search(SearchApi.Query.from(new JsonObject().put("q", q)))).total();
  }

  @Test
  void loadsFollowsAndReloadsWhenBehindThePrunedFeed(TestInfra infra, @TempDir Path directory) throws IOException {
    Vertx vertx = Vertx.vertx();
    Pool pool = infra.migratedPool(vertx, "lucene_copy", "search");
    AtomicInteger changes = new AtomicInteger();
    LuceneSearchEngine engine = new LuceneSearchEngine(vertx, new PostgresSearchEngine(pool, 500), pool, directory, 2,
      100, new SimpleMeterRegistry(), changes::incrementAndGet);
    try {
      UUID before = UUID.randomUUID();
      Await.result(pool.withTransaction(tx -> write(tx, before, "Lighthouse keepers", true)));
      Await.result(engine.start(50));
      Await.until("the copy is loaded", Duration.ofSeconds(5), engine::loaded);
      assertThat(hits(engine, "lighthouse")).isEqualTo(1);

      // another instance indexes a document and removes the first
      long generation = Await.result(pool.withTransaction(tx -> write(tx, UUID.randomUUID(), "Lighthouse weather", true)
        .compose(g -> tx.preparedQuery("DELETE FROM documents WHERE id = $1").execute(Tuple.of(before)))
        .compose(v -> IndexChanges.record(tx, Set.of(before), null))));
      int seen = changes.get();
      Await.until("the copy applies the other instance's changes", Duration.ofSeconds(2),
        () -> engine.applied() == generation);
      assertThat(changes.get()).isGreaterThan(seen);
      assertThat(Await.result(engine.search(SearchApi.Query.from(new JsonObject().put("q", "lighthouse"))))
        .items().get(0).title()).isEqualTo("Lighthouse weather");
      assertThat(hits(engine, "keepers")).isZero();

      // a document whose change is no longer in the feed (pruned past it): only a full reload brings it
      long pruned = Await.result(pool.withTransaction(tx -> write(tx, UUID.randomUUID(), "Lighthouse ghosts", false)
        .compose(g -> tx.preparedQuery("UPDATE index_state SET changes_from = $1").execute(Tuple.of(g + 1))
          .map(g))));
      Await.until("the copy reloads", Duration.ofSeconds(5), () -> engine.applied() >= pruned);
      assertThat(hits(engine, "ghosts")).isEqualTo(1);
      assertThat(hits(engine, "lighthouse")).isEqualTo(2);
    } finally {
      Await.result(engine.stop());
      try (Stream<Path> left = Files.list(directory)) {
        assertThat(left).as("the copy's files, once stopped").isEmpty();
      }
      Await.result(pool.close());
      Await.result(vertx.close());
    }
  }
}
