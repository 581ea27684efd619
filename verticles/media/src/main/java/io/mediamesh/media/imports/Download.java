package io.mediamesh.media.imports;

import io.mediamesh.common.db.Times;
import io.mediamesh.common.net.FetchFailure;
import io.mediamesh.common.net.SafeFetcher;
import io.mediamesh.media.UrlImports;
import io.mediamesh.media.domain.MimePolicy;
import io.mediamesh.media.domain.UrlImport;
import io.mediamesh.media.persistence.ImportRepository;
import io.mediamesh.storage.Storage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt at an import's download, into the parts of a multipart upload to the asset's key ({@link PartSink}),
 * its state written to the import's row after each step, so another attempt (on any instance, after a restart too)
 * goes on where this one stopped:
 * <ul>
 *   <li>from byte 0: a plain GET (through the {@link SafeFetcher}: every hop's address checked); the answer's strong
 *   ETag, or else its Last-Modified, is kept as the validator of the bytes to come;</li>
 *   <li>from the end of the last stored part: {@code Range: bytes=<offset>-} with {@code If-Range: <validator>}. A 206
 *   starting there goes on. A 200 means the file changed (or the source ignores ranges): the stored parts are thrown
 *   away (the multipart upload aborted) and the download starts again from byte 0 with that answer, so two versions
 *   of a file are never spliced.</li>
 * </ul>
 * A connection that breaks keeps every part stored before it; the attempt fails with a failure that may pass.
 */
final class Download {

  private static final Logger LOG = LoggerFactory.getLogger(Download.class);

  private final Context context;
  private final SafeFetcher fetcher;
  private final Storage storage;
  private final MimePolicy policy;
  private final Pool pool;
  private final Clock clock;
  private final String owner;
  private final ImportRepository imports = new ImportRepository();
  private final Promise<UrlImport> result = Promise.promise();
  private final String key;
  private UrlImport state;
  private SafeFetcher.Streamed current;
  private PartSink sink;

  Download(Context context, SafeFetcher fetcher, Storage storage, MimePolicy policy, Pool pool, Clock clock,
           String owner, UrlImport claimed) {
    this.context = context;
    this.fetcher = fetcher;
    this.storage = storage;
    this.policy = policy;
    this.pool = pool;
    this.clock = clock;
    this.owner = owner;
    this.state = claimed;
    this.key = UrlImports.objectKey(claimed.mediaId());
  }

  /** The import's state as last written (what storage holds for it). */
  UrlImport state() {
    return state;
  }

  /** Downloads the rest of the file; answers the state with every byte stored in parts. */
  Future<UrlImport> run() {
    if (state.allStored()) {
      return Future.succeededFuture(state); // only the completion is left to do
    }
    long offset = state.resumeOffset();
    Future<Void> started = offset > 0 ? resume(offset) : fresh();
    started.onFailure(this::end);
    return result.future();
  }

  /** Stops the attempt (the lease was lost, the service stops): the request is reset, stored parts stay. */
  void stop(Throwable why) {
    if (current != null) {
      current.cancel();
    }
    end(why);
  }

  private Future<Void> fresh() {
    return restart().compose(v -> fetcher.stream(url(), MultiMap.caseInsensitiveMultiMap())).compose(answer -> {
      if (answer.status() != 200) {
        answer.cancel();
        return Future.failedFuture(FetchFailure.permanent("source answered HTTP " + answer.status()
          + " to a plain GET"));
      }
      return fromStart(answer);
    });
  }

  private Future<Void> resume(long offset) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Range", "bytes=" + offset + "-")
      .add("If-Range", state.validator());
    return fetcher.stream(url(), headers)
      .recover(err -> err instanceof FetchFailure f && f.status() == 416
        ? Future.succeededFuture(null) : Future.failedFuture(err))
      .compose(answer -> {
        if (answer == null) {
          LOG.info("import {}: the source cannot serve from byte {} any more; starting again", state.id(), offset);
          return fresh();
        }
        if (answer.status() == 206 && continues(answer, offset)) {
          LOG.info("import {}: going on from byte {}", state.id(), offset);
          return consume(answer, offset);
        }
        if (answer.status() == 200) {
          LOG.info("import {}: the file changed, or its source ignores ranges: starting again from byte 0",
            state.id());
          return restart().onFailure(err -> answer.cancel()).compose(v -> fromStart(answer));
        }
        answer.cancel();
        return fresh();
      });
  }

  /** Whether a 206 covers the file from {@code offset}, of the size the stored parts were taken from. */
  private boolean continues(SafeFetcher.Streamed answer, long offset) {
    String range = answer.header("Content-Range");
    OptionalLong start = UrlImport.rangeStart(range);
    Long total = UrlImport.rangeTotal(range);
    return start.isPresent() && start.getAsLong() == offset
      && (total == null || state.totalBytes() == null || total.equals(state.totalBytes()));
  }

  /** Throws away what is stored (an aborted multipart upload), so the download can start from byte 0. */
  private Future<Void> restart() {
    if (state.storageUploadId() == null && state.bytes() == 0) {
      return Future.succeededFuture();
    }
    String uploadId = state.storageUploadId();
    return save(state.restarted(null, null)).compose(v -> stage(storage.abortIfOpen(key, uploadId)));
  }

  /** A full answer: its validator and size are the state's now, and its body is the file from byte 0. */
  private Future<Void> fromStart(SafeFetcher.Streamed answer) {
    Long total = length(answer.header("Content-Length"));
    String validator = UrlImport.validator(answer.header("ETag"), answer.header("Last-Modified"));
    return save(state.restarted(validator, total)).compose(v -> consume(answer, 0))
      .onFailure(err -> answer.cancel());
  }

  /** Reads the body into the parts, the download paused while a part is stored. */
  private Future<Void> consume(SafeFetcher.Streamed answer, long offset) {
    if (result.future().isComplete()) {
      answer.cancel();
      return Future.succeededFuture();
    }
    current = answer;
    sink = new PartSink(policy, state.partSize(), offset, state.mimeType(), state.totalBytes(), this::store);
    ReadStream<Buffer> body = answer.body();
    sink.exceptionHandler(err -> {
      answer.cancel();
      end(err);
    });
    sink.drainHandler(v -> {
      if (!result.future().isComplete()) {
        body.resume();
      }
    });
    body.handler(chunk -> {
      if (result.future().isComplete()) {
        return;
      }
      sink.write(chunk);
      if (sink.writeQueueFull()) {
        body.pause();
      }
    });
    body.exceptionHandler(err -> end(answer.broken()));
    body.endHandler(v -> sink.end().onSuccess(x -> {
      Long total = state.totalBytes();
      if (total != null && total != sink.position()) {
        end(FetchFailure.transientFailure("the source sent " + sink.position() + " of the " + total
          + " bytes it announced"));
      } else {
        result.tryComplete(state);
      }
    }).onFailure(this::end));
    body.resume();
    return Future.succeededFuture();
  }

  /** Stores one part: the multipart upload started first if there is none (recorded before any part goes). */
  private Future<Void> store(byte[] bytes, String mime) {
    Future<Void> begun = state.storageUploadId() != null ? Future.succeededFuture()
      : stage(storage.createMultipart(key, mime)).compose(uploadId -> save(state.begun(uploadId, mime))
        .onFailure(err -> storage.abortMultipart(key, uploadId)));
    return begun.compose(v -> stage(storage.uploadPartOwned(key, state.storageUploadId(), state.parts() + 1, bytes,
        bytes.length)))
      .compose(part -> save(state.stored(part.eTag(), state.bytes() + bytes.length)));
  }

  /** Writes the next state if the lease is still this instance's; fails with {@link Lost} otherwise. */
  private Future<Void> save(UrlImport next) {
    return imports.progress(pool, owner, next, Times.now(clock)).compose(held -> {
      if (!held) {
        return Future.failedFuture(new Lost());
      }
      state = next;
      return Future.succeededFuture();
    });
  }

  /** Fails the attempt once the part being stored, if any, has settled (so what storage holds is in the state). */
  private void end(Throwable err) {
    Future<Void> settled = sink == null ? Future.succeededFuture() : sink.settled();
    settled.onComplete(v -> result.tryFail(err));
  }

  private URI url() {
    return URI.create(state.url());
  }

  private <T> Future<T> stage(CompletableFuture<T> stage) {
    return Future.fromCompletionStage(stage, context);
  }

  private static Long length(String header) {
    return header != null && header.strip().matches("\\d{1,18}") ? Long.valueOf(header.strip()) : null;
  }

  /** The import is no longer this instance's: its lease lapsed and another took it up, or it was removed. */
  static final class Lost extends RuntimeException {
    Lost() {
      super("the import is no longer this instance's", null, false, false);
    }
  }
}
