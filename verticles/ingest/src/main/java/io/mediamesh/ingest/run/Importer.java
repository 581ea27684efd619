package io.mediamesh.ingest.run;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.MetadataApi.Editable;
import io.mediamesh.common.api.MetadataClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.net.FetchFailure;
import io.mediamesh.common.net.SafeFetcher;
import io.mediamesh.ingest.IngestConfig;
import io.mediamesh.ingest.auth.ServiceIdentity;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.ImportFailure;
import io.mediamesh.ingest.domain.Job;
import io.mediamesh.ingest.parse.FeedParser;
import io.mediamesh.ingest.persistence.FeedRepository;
import io.mediamesh.ingest.persistence.FeedRepository.FeedState;
import io.mediamesh.ingest.persistence.FeedRepository.ItemState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
  public record Outcome(UUID programId, int imported, int updated, int skipped, JsonObject skipReasons) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final SafeFetcher fetcher;
  private final ServiceIdentity identity;
  private final CmsClient cms;
  private final MetadataClient metadata;
  private final IngestConfig config;
  private final FeedRepository feeds = new FeedRepository();

  /**
   * Fetches with {@code fetcher}, and as {@code identity} (the service account) makes {@code cms} and
   * {@code metadata} hold what it found.
   */
  public Importer(Vertx vertx, Pool pool, SafeFetcher fetcher, ServiceIdentity identity, CmsClient cms,
                  MetadataClient metadata, IngestConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.fetcher = fetcher;
    this.identity = identity;
    this.cms = cms;
    this.metadata = metadata;
    this.config = config;
  }

  /** Fails with an {@link ImportFailure} (or a bus {@link ServiceException}) that says whether a retry may help. */
  public Future<Outcome> run(Job job) {
    IngestMapping mapping = IngestMapping.stored(job.mapping(), job.sourceType());
    return fetcher.fetch(URI.create(job.sourceUrl()), FeedParser.accept(job.sourceType()))
      .recover(err -> Future.failedFuture(err instanceof FetchFailure f ? ImportFailure.of(f) : err))
      .compose(body -> vertx.executeBlocking(() -> FeedParser.parse(job.sourceType(), body.getBytes(), mapping), false))
      .compose(feed -> identity.caller().compose(caller -> new Attempt(job, feed, mapping, caller).run()))
      .recover(err -> {
        if (isCode(err, ErrorCode.UNAUTHENTICATED)) {
          identity.invalidate(); // e.g. the signing key rotated: the next attempt gets a fresh token
        }
        return Future.failedFuture(err);
      });
  }

  /**
   * The program's title when the feed has none: the host of the site serving the feed, else the first item's title
   * (sources have no name of their own to use first).
   */
  static String fallbackTitle(Job job, Feed feed) {
    try {
      String host = java.net.URI.create(job.sourceUrl()).getHost();
      if (host != null && !host.isBlank()) {
        return host;
      }
    } catch (IllegalArgumentException e) {
      // a stored URL is always a valid one; fall through to the items
    }
    return feed.items().stream().map(Feed.Item::title).filter(t -> t != null && !t.isBlank()).findFirst()
      .orElse(null);
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
    /** Why items were skipped: {@code noKey} (no guid, link or enclosure), {@code keyTooLong}, {@code noTitle},
     * {@code duplicateKey} (a key seen earlier in the feed), {@code overMaxItems}, {@code unchanged} (as imported
     * before), {@code noEpisodeNumber} (the season is full), {@code refused} (the CMS refused the episode). */
    private final JsonObject skipReasons = new JsonObject();

    private void skip(String reason) {
      skipped++;
      skipReasons.put(reason, skipReasons.getInteger(reason, 0) + 1);
    }

    Attempt(Job job, Feed feed, IngestMapping mapping, Caller caller) {
      this.job = job;
      this.feed = feed;
      this.caller = caller;
      this.normal = new Normaliser(job.sourceType(), feed.program(), mapping, config.defaultLanguage(),
        fallbackTitle(job, feed));
    }

    Future<Outcome> run() {
      if (normal.programTitle() == null) {
        return Future.failedFuture(ImportFailure.permanent("the feed has no title, and neither its host nor any item gives one"));
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
          return chain.map(v -> new Outcome(programId, imported, updated, skipped, skipReasons));
        }));
    }

    /** Items with a key and a title, first occurrence of each key, oldest first (episode 1 is the oldest). */
    private List<Feed.Item> items() {
      List<Feed.Item> all = feed.items();
      List<Feed.Item> usable = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        Feed.Item item = all.get(i);
        if (item.key() == null) {
          skip("noKey");
        } else if (item.key().length() > 1000) {
          skip("keyTooLong");
        } else if (item.title() == null) {
          skip("noTitle");
        } else if (!keys.add(item.key())) {
          skip("duplicateKey");
        } else if (usable.size() >= config.maxItems()) {
          skip("overMaxItems");
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
      UUID programId = state.programId();
      return cms.program(caller, programId).compose(found -> {
        if (found.isEmpty()) {
          LOG.info("program {} of {} was deleted in the CMS: importing the feed afresh", programId, job.feedKey());
          return feeds.forgetProgram(pool, job.feedKey()).compose(v -> createProgram(hash));
        }
        if (hash.equals(state.programHash())) {
          return Future.succeededFuture(programId);
        }
        return cms.updateProgram(caller, programId, version -> normal.programUpdate(programId, version))
          .compose(v -> saveMetadata(programId, ContentType.PROGRAM, normal.programMetadata()))
          .compose(mid -> feeds.saveProgram(pool, job.feedKey(), programId, mid, hash))
          .map(programId);
      });
    }

    private Future<UUID> createProgram(String hash) {
      return cms.createProgram(caller, normal.programCreate()).map(Importer::id)
        .compose(id -> saveMetadata(id, ContentType.PROGRAM, normal.programMetadata())
          .compose(mid -> feeds.saveProgram(pool, job.feedKey(), id, mid, hash)).map(id));
    }

    /** Creates the content's metadata, or replaces its fields; answers the metadata's id. */
    private Future<UUID> saveMetadata(UUID contentId, ContentType type, Editable fields) {
      return metadata.save(caller, contentId, type, fields).map(Importer::id);
    }

    private Future<Void> item(UUID programId, Feed.Item item, ItemState stored) {
      Normaliser.Episode e = normal.episode(item);
      Future<Void> step;
      if (stored != null && stored.episodeId() != null) {
        if (e.hash().equals(stored.hash())) {
          skip("unchanged");
          return Future.succeededFuture();
        }
        UUID episodeId = stored.episodeId();
        step = cms.updateEpisode(caller, episodeId, version -> e.update(episodeId, version))
          .compose(found -> found.isPresent() ? finish(episodeId, item, e).onSuccess(v -> updated++)
            : create(programId, item, e, stored.seasonNumber(), stored.episodeNumber(), false));
      } else if (stored != null) {
        // reserved by an attempt that stopped before saving the episode: it may exist already
        step = create(programId, item, e, stored.seasonNumber(), stored.episodeNumber(), true);
      } else {
        Optional<int[]> numbers = assign(item);
        if (numbers.isEmpty()) {
          skip("noEpisodeNumber");
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
          skip("refused");
          return Future.succeededFuture();
        }
        return Future.failedFuture(err);
      });
    }

    private Future<Void> create(UUID programId, Feed.Item item, Normaliser.Episode e, int season, int number,
                                boolean mayExist) {
      return cms.createEpisode(caller, e.create(programId, season, number)).map(Importer::id)
        .recover(err -> mayExist && isCode(err, ErrorCode.CONFLICT)
          ? cms.findEpisode(caller, programId, season, number).compose(found -> found.map(Importer::id)
          .map(id -> cms.updateEpisode(caller, id, version -> e.update(id, version)).map(id))
          .orElseGet(() -> Future.failedFuture(err)))
          : Future.failedFuture(err))
        .compose(id -> finish(id, item, e))
        .onSuccess(v -> imported++);
    }

    private Future<Void> finish(UUID episodeId, Feed.Item item, Normaliser.Episode e) {
      return saveMetadata(episodeId, ContentType.EPISODE, e.metadata())
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

  private static boolean isCode(Throwable err, ErrorCode code) {
    return err instanceof ServiceException se && se.code() == code;
  }

  private static UUID id(JsonObject reply) {
    return UUID.fromString(reply.getString("id"));
  }
}
