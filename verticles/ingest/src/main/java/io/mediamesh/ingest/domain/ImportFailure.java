package io.mediamesh.ingest.domain;

import io.mediamesh.common.net.FetchFailure;

/**
 * Why an import attempt failed, in words safe to show an editor (never a stack trace or a fetched body), and
 * whether trying again later may help: network trouble, timeouts, 5xx and 429 may pass; a refused address, an
 * oversized or unparsable response or a 4xx will not, so such a job fails at once.
 */
public final class ImportFailure extends RuntimeException {

  private final boolean retryable;

  public ImportFailure(String message, boolean retryable) {
    super(message, null, false, false);
    this.retryable = retryable;
  }

  public static ImportFailure permanent(String message) {
    return new ImportFailure(message, false);
  }

  public static ImportFailure transientFailure(String message) {
    return new ImportFailure(message, true);
  }

  /** A failed fetch, as an import failure: the same words, the same chance that a retry helps. */
  public static ImportFailure of(FetchFailure failure) {
    return new ImportFailure(failure.getMessage(), failure.retryable());
  }

  public boolean retryable() {
    return retryable;
  }
}
