package io.mediamesh.ingest.run;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.ingest.IngestConfig;
import io.mediamesh.ingest.auth.ServiceIdentity;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.ImportFailure;
import io.mediamesh.ingest.domain.Job;
import io.mediamesh.ingest.domain.Mapping;
import io.mediamesh.ingest.fetch.SafeFetcher;
import io.mediamesh.ingest.parse.FeedParser;
import io.mediamesh.ingest.persistence.FeedRepository;
import io.mediamesh.ingest.persistence.FeedRepository.FeedState;
import io.mediamesh.ingest.persistence.FeedRepository.ItemState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One import attempt: fetch (SSRF-checked), parse (worker thread), then make the CMS and metadata services hold
 * the feed as one draft program with one draft episode per item. Idempotent: the feed's items are keyed in
 * {@code feed_items}; an item seen before is updated only if what would be sent changed (hash), otherwise
 * skipped; a new one gets episode numbers (the feed's own when free, else the next in its season), reserved
 * before the episode is created, so an attempt interrupted in between finds that episode again by its numbers.
 */
public final class Importer {

  private static final Logger LOG = LoggerFactory.getLogger(Importer.class);

  /** What an attempt achieved. */
  public record Outcome(UUID programId, int imported, int updated, int skipped) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final SafeFetcher fetcher;
  private final ServiceIdentity identity;
  private final ContentClient content;
  private final IngestConfig config;
  private final FeedRepository feeds = new FeedRepository();

  public Importer(Vertx vertx, Pool pool, BusClient bus, SafeFetcher fetcher, ServiceIdentity identity,
                  IngestConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.fetcher = fetcher;
    this.identity = identity;
    this.content = new ContentClient(bus);
    this.config = config;
  }

  /** Fails with an {@link ImportFailure} (or a bus {@link ServiceException}) that says whether a retry may help. */
  public Future<Outcome> run(Job job) {
    Mapping mapping = Mapping.stored(job.mapping(), job.sourceType());
    return fetcher.fetch(URI.create(job.sourceUrl()), FeedParser.accept(job.sourceType()))
      .compose(body -> vertx.executeBlocking(() -> FeedParser.parse(job.sourceType(), body.getBytes(), mapping), false))
      .compose(feed -> identity.caller().compose(caller -> new Attempt(job, feed, mapping, caller).run()))
      .recover(err -> {
        if (ContentClient.isCode(err, ErrorCode.UNAUTHENTICATED)) {
          identity.invalidate(); // e.g. the signing key rotated: the next attempt gets a fresh token
        }
        return Future.failedFuture(err);
      });
  }

  private final class Attempt {
    private final Job job;
    private final Feed feed;
    private final Caller caller;
    private final Normaliser normal;
    private final Set<Long> usedNumbers = new HashSet<>();
    private final Map<Integer, Integer> lastInSeason = new HashMap<>();
    private int imported;
    private int updated;
    private int skipped;

    Attempt(Job job, Feed feed, Mapping mapping, Caller caller) {
      this.job = job;
      this.feed = feed;
      this.caller = caller;
      this.normal = new Normaliser(job.sourceType(), feed.program(), mapping, config.defaultLanguage());
    }

    Future<Outcome> run() {
      if (normal.programTitle() == null) {
        return Future.failedFuture(ImportFailure.permanent("the feed has no title"));
      }
      List<Feed.Item> items = items();
      return feeds.ensure(pool, job.feedKey(), job.sourceType().name(), job.sourceUrl())
        .compose(this::program)
        .compose(programId -> feeds.items(pool, job.feedKey()).compose(stored -> {
          stored.values().forEach(s -> use(s.seasonNumber(), s.episodeNumber()));
          Future<Void> chain = Future.succeededFuture();
          for (Feed.Item item : items) {
            chain = chain.compose(v -> item(programId, item, stored.get(item.key())));
          }
          return chain.map(v -> new Outcome(programId, imported, updated, skipped));
        }));
    }

    /** Items with a key and a title, first occurrence of each key, oldest first (episode 1 is the oldest). */
    private List<Feed.Item> items() {
      List<Feed.Item> all = feed.items();
      List<Feed.Item> usable = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        Feed.Item item = all.get(i);
        if (item.key() == null || item.key().length() > 1000 || item.title() == null || !keys.add(item.key())
          || usable.size() >= config.maxItems()) {
          skipped++;
        } else {
          usable.add(item);
        }
      }
      List<Feed.Item> ordered = new ArrayList<>(usable);
      java.util.Collections.reverse(ordered); // feeds list newest first
      ordered.sort(Comparator.comparing(Feed.Item::publishedAt, Comparator.nullsLast(Comparator.naturalOrder())));
      return ordered;
    }

    private Future<UUID> program(FeedState state) {
      String hash = normal.programHash();
      if (state.programId() == null) {
        return createProgram(hash);
      }
      return content.program(caller, state.programId()).compose(found -> {
        if (found.isEmpty()) {
          LOG.info("program {} of {} was deleted in the CMS: importing the feed afresh", state.programId(),
            job.feedKey());
          return feeds.forgetProgram(pool, job.feedKey()).compose(v -> createProgram(hash));
        }
        if (hash.equals(state.programHash())) {
          return Future.succeededFuture(state.programId());
        }
        return content.updateProgram(caller, state.programId(), normal.programFields())
          .compose(v -> content.saveMetadata(caller, state.programId(), "PROGRAM", normal.programMetadata()))
          .compose(mid -> feeds.saveProgram(pool, job.feedKey(), state.programId(), mid, hash))
          .map(state.programId());
      });
    }

    private Future<UUID> createProgram(String hash) {
      return content.createProgram(caller, normal.programFields())
        .compose(id -> content.saveMetadata(caller, id, "PROGRAM", normal.programMetadata())
          .compose(mid -> feeds.saveProgram(pool, job.feedKey(), id, mid, hash)).map(id));
    }

    private Future<Void> item(UUID programId, Feed.Item item, ItemState stored) {
      Normaliser.Episode e = normal.episode(item);
      Future<Void> step;
      if (stored != null && stored.episodeId() != null) {
        if (e.hash().equals(stored.hash())) {
          skipped++;
          return Future.succeededFuture();
        }
        step = content.updateEpisode(caller, stored.episodeId(), e.fields()).compose(exists -> exists
          ? finish(stored.episodeId(), item, e).onSuccess(v -> updated++)
          : create(programId, item, e, stored.seasonNumber(), stored.episodeNumber(), false));
      } else if (stored != null) {
        // reserved by an attempt that stopped before saving the episode: it may exist already
        step = create(programId, item, e, stored.seasonNumber(), stored.episodeNumber(), true);
      } else {
        Optional<int[]> numbers = assign(item);
        if (numbers.isEmpty()) {
          skipped++;
          return Future.succeededFuture();
        }
        int season = numbers.get()[0];
        int number = numbers.get()[1];
        step = feeds.reserve(pool, job.feedKey(), item.key(), season, number)
          .compose(v -> create(programId, item, e, season, number, false));
      }
      return step.recover(err -> {
        // one item the CMS refuses (a 4xx) must not sink the whole feed; anything else fails the attempt
        if (err instanceof ServiceException se && se.code().status() < 500 && se.code() != ErrorCode.UNAUTHENTICATED) {
          LOG.warn("item {} of {} skipped: {}", item.key(), job.feedKey(), se.getMessage());
          skipped++;
          return Future.succeededFuture();
        }
        return Future.failedFuture(err);
      });
    }

    private Future<Void> create(UUID programId, Feed.Item item, Normaliser.Episode e, int season, int number,
                                boolean mayExist) {
      return content.createEpisode(caller, e.fields().copy().put("programId", programId.toString())
          .put("seasonNumber", season).put("episodeNumber", number))
        .recover(err -> mayExist && ContentClient.isCode(err, ErrorCode.CONFLICT)
          ? content.findEpisode(caller, programId, season, number, 0).compose(found -> found
          .map(id -> content.updateEpisode(caller, id, e.fields()).map(id))
          .orElseGet(() -> Future.failedFuture(err)))
          : Future.failedFuture(err))
        .compose(id -> finish(id, item, e))
        .onSuccess(v -> imported++);
    }

    private Future<Void> finish(UUID episodeId, Feed.Item item, Normaliser.Episode e) {
      return content.saveMetadata(caller, episodeId, "EPISODE", e.metadata())
        .compose(mid -> feeds.saveItem(pool, job.feedKey(), item.key(), episodeId, mid, e.hash(), item.imageUrl(),
          item.mediaUrl()));
    }

    /** The feed's season and episode numbers when valid and free; else the next number in the season. */
    private Optional<int[]> assign(Feed.Item item) {
      int season = item.seasonNumber() != null && item.seasonNumber() >= 1 && item.seasonNumber() <= 1000
        ? item.seasonNumber() : 1;
      Integer wanted = item.episodeNumber() != null && item.episodeNumber() >= 1 && item.episodeNumber() <= 100_000
        ? item.episodeNumber() : null;
      int number = wanted != null && !usedNumbers.contains(key(season, wanted)) ? wanted
        : lastInSeason.getOrDefault(season, 0) + 1;
      if (number > 100_000) {
        return Optional.empty();
      }
      use(season, number);
      return Optional.of(new int[] {season, number});
    }

    private void use(int season, int number) {
      usedNumbers.add(key(season, number));
      lastInSeason.merge(season, number, Math::max);
    }

    private static long key(int season, int number) {
      return ((long) season << 32) | number;
    }
  }
}
