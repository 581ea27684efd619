package io.mediamesh.common.net;

/**
 * Why an outbound fetch failed, in words safe to show a user (never a raw exception text: it may carry internal
 * addresses), whether trying again later may help (network trouble, timeouts, 5xx, 408 and 429 may pass; a refused
 * address, a redirect loop, an oversized response or another 4xx will not), and the HTTP status when the source
 * answered one. Each service maps it to its own failure type.
 */
public final class FetchFailure extends RuntimeException {

  private final boolean retryable;
  private final int status;

  private FetchFailure(String message, boolean retryable, int status) {
    super(message, null, false, false);
    this.retryable = retryable;
    this.status = status;
  }

  public static FetchFailure permanent(String message) {
    return new FetchFailure(message, false, 0);
  }

  public static FetchFailure transientFailure(String message) {
    return new FetchFailure(message, true, 0);
  }

  /** The source answered {@code status} (not a success, not a redirect). */
  public static FetchFailure status(int status) {
    boolean passing = status >= 500 || status == 408 || status == 429;
    return new FetchFailure("source answered HTTP " + status, passing, status);
  }

  public boolean retryable() {
    return retryable;
  }

  /** The status the source answered, or 0 when the failure is not an answer (refused, network, timeout). */
  public int status() {
    return status;
  }
}
