package io.mediamesh.media.imports;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.common.net.FetchFailure;
import io.mediamesh.common.net.SafeFetcher;
import io.mediamesh.common.runtime.SerialPass;
import io.mediamesh.media.ImportConfig;
import io.mediamesh.media.UrlImports;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.domain.UrlImport;
import io.mediamesh.media.persistence.ImportRepository;
import io.mediamesh.storage.Storage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs imports in the background of every media instance, with state only in the database, so any instance can take
 * any import and a crash loses none:
 * <ul>
 *   <li>a pass (every {@code importPollIntervalMs}, and at once when an import is created here) puts imports whose
 *   lease lapsed back in the queue, then claims due QUEUED ones ({@code FOR UPDATE SKIP LOCKED}) while fewer than
 *   {@code importConcurrency} download here;</li>
 *   <li>a DOWNLOADING import holds a lease renewed at a third of its length; when the renewal finds it is no longer
 *   this instance's, the download stops. Every write of its state and of its end is conditioned on the lease;</li>
 *   <li>a failure that may pass (a broken connection, a timeout, 5xx, storage unavailable) is retried after a
 *   doubling backoff up to {@code importMaxAttempts}, going on from the stored parts; any other (a refused address,
 *   a 4xx, a refused type or size, a checksum mismatch) or the last attempt makes the import FAILED with its reason,
 *   its asset FAILED and nothing of it left in storage.</li>
 * </ul>
 */
public final class ImportRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ImportRunner.class);
  private static final int RECOVER_BATCH = 20;

  private final Vertx vertx;
  private final Context context;
  private final Pool pool;
  private final SafeFetcher fetcher;
  private final Storage storage;
  private final MimePolicy policy;
  private final UrlImports urlImports;
  private final ImportConfig config;
  private final Clock clock;
  private final ImportRepository imports = new ImportRepository();
  private final String owner = UUID.randomUUID().toString();
  private final Map<UUID, Download> running = new HashMap<>();
  private final SerialPass pass;
  private long timer = -1;
  private boolean stopped;

  public ImportRunner(Vertx vertx, Pool pool, SafeFetcher fetcher, Storage storage, MimePolicy policy,
                      UrlImports urlImports, ImportConfig config, Clock clock) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.fetcher = fetcher;
    this.storage = storage;
    this.policy = policy;
    this.urlImports = urlImports;
    this.config = config;
    this.clock = clock;
    this.pass = new SerialPass("media import", () -> recoverExpired().compose(v -> claimWhileFree()));
  }

  public void start() {
    timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
  }

  /** Stops claiming and stops the downloads (their leases lapse; an instance takes them up where they stopped). */
  public void stop() {
    stopped = true;
    pass.stop();
    vertx.cancelTimer(timer);
    List.copyOf(running.values()).forEach(d -> d.stop(new Download.Lost()));
  }

  /** Looks for work now. */
  public void wake() {
    context.runOnContext(v -> pass.run());
  }

  private Future<Void> claimWhileFree() {
    if (stopped || running.size() >= config.concurrency()) {
      return Future.succeededFuture();
    }
    OffsetDateTime now = now();
    return pool.withTransaction(tx -> imports.claim(tx, owner, now, now.plus(config.lease()))).compose(claimed -> {
      if (claimed.isEmpty()) {
        return Future.succeededFuture();
      }
      execute(claimed.get());
      return claimWhileFree();
    });
  }

  private void execute(UrlImport claimed) {
    Download download = new Download(context, fetcher, storage, policy, pool, clock, owner, claimed);
    running.put(claimed.id(), download);
    long renewal = vertx.setPeriodic(Math.max(100, config.lease().toMillis() / 3), id ->
      imports.renew(pool, claimed.id(), owner, now().plus(config.lease())).onComplete(ar -> {
        if (ar.succeeded() && !ar.result()) {
          download.stop(new Download.Lost());
        } else if (ar.failed()) {
          LOG.warn("lease of import {} not renewed: {}", claimed.id(), ar.cause().getMessage());
        }
      }));
    LOG.info("import {} attempt {}: downloading {} from byte {}", claimed.id(), claimed.attempts(), claimed.url(),
      claimed.resumeOffset());
    urlImports.readySize(claimed)
      .compose(ready -> ready.isPresent() ? Future.succeededFuture(ready.get())
        : download.run().compose(done -> urlImports.finish(done).map(done.bytes())))
      .transform(ar -> {
        vertx.cancelTimer(renewal);
        return ar.succeeded() ? succeeded(claimed, ar.result()) : failed(claimed, download.state(), ar.cause());
      })
      .onComplete(ar -> {
        running.remove(claimed.id());
        if (ar.failed()) {
          LOG.warn("import {} could not be ended (its lease will lapse and it will be taken up again): {}",
            claimed.id(), ar.cause().getMessage());
        }
        wake();
      });
  }

  private Future<Void> succeeded(UrlImport claimed, long size) {
    return pool.withTransaction(tx -> imports.succeed(tx, claimed.id(), owner, size, now())).map(done -> {
      if (done.isPresent()) {
        LOG.info("import {} succeeded after {} attempt(s): {} bytes", claimed.id(), claimed.attempts(), size);
      }
      return null;
    });
  }

  private Future<Void> failed(UrlImport claimed, UrlImport state, Throwable err) {
    if (stopped) {
      return Future.succeededFuture(); // the lease lapses and the import is taken up again where it stopped
    }
    if (err instanceof Download.Lost) {
      return lost(state);
    }
    boolean retryable = retryable(err);
    String reason = reason(err, claimed);
    if (retryable && claimed.attempts() < config.maxAttempts()) {
      OffsetDateTime now = now();
      LOG.info("import {} attempt {} failed ({}); retrying in {} ms from byte {}", claimed.id(), claimed.attempts(),
        reason, config.backoff(claimed.attempts()).toMillis(), state.resumeOffset());
      return pool.withTransaction(tx -> imports.requeue(tx, claimed.id(), owner, reason,
        now.plus(config.backoff(claimed.attempts())), now)).mapEmpty();
    }
    LOG.info("import {} failed after {} attempt(s): {}", claimed.id(), claimed.attempts(), reason);
    return fail(state, owner, reason);
  }

  /** Ends an import as FAILED: what it stored is removed first, then the import and its asset are FAILED. */
  private Future<Void> fail(UrlImport state, String holder, String reason) {
    return urlImports.discard(state)
      .onFailure(err -> LOG.warn("import {}: what it stored was not all removed: {}", state.id(), err.getMessage()))
      .transform(v -> pool.withTransaction(tx -> imports.fail(tx, state.id(), holder, reason, now())
        .compose(failed -> failed.isPresent() ? urlImports.failAsset(tx, state) : Future.succeededFuture())));
  }

  /** The import is no longer this instance's; if it is gone altogether (its asset deleted), so is what it stored. */
  private Future<Void> lost(UrlImport state) {
    return imports.byId(pool, state.id()).compose(found -> found.isPresent() ? Future.succeededFuture()
      : urlImports.discard(state));
  }

  /** DOWNLOADING imports whose instance stopped renewing: QUEUED again at once, or FAILED when out of attempts. */
  private Future<Void> recoverExpired() {
    OffsetDateTime now = now();
    String error = "interrupted: the instance downloading it stopped";
    List<UrlImport> exhausted = new ArrayList<>();
    return pool.withTransaction(tx -> imports.lockExpired(tx, now, RECOVER_BATCH).compose(expired -> {
      Future<Void> chain = Future.succeededFuture();
      for (UrlImport i : expired) {
        if (i.attempts() < config.maxAttempts()) {
          chain = chain.compose(v -> imports.requeue(tx, i.id(), null, error, now, now)
            .onSuccess(r -> r.ifPresent(x -> LOG.warn("import {} taken up again after its lease lapsed, from byte {}",
              x.id(), x.resumeOffset())))
            .mapEmpty());
        } else {
          exhausted.add(i);
        }
      }
      return chain;
    })).compose(v -> {
      Future<Void> chain = Future.succeededFuture();
      for (UrlImport i : exhausted) {
        chain = chain.compose(x -> fail(i, null, error));
      }
      return chain;
    });
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }

  /** Whether another attempt may succeed: network trouble and unavailable services may pass, refusals do not. */
  static boolean retryable(Throwable err) {
    if (err instanceof FetchFailure f) {
      return f.retryable();
    }
    if (err instanceof ServiceException se) {
      return !se.code().isClientError();
    }
    return true;
  }

  /** Why an attempt failed, in words for the editor (never a raw error of storage or of the source). */
  static String reason(Throwable err, UrlImport i) {
    if (err instanceof FetchFailure || err instanceof ServiceException) {
      return err.getMessage();
    }
    LOG.warn("import {}: attempt failed unexpectedly", i.id(), err);
    return "storage unavailable";
  }
}
