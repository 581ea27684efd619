package io.mediamesh.processing.jobs;

/**
 * Why an attempt of a job failed, in words for the job's {@code error}, and whether another attempt may pass (a
 * storage outage, a process killed by the system) or cannot (a file FFmpeg cannot read, a job canceled).
 */
public final class JobFailure extends RuntimeException {

  private final boolean retryable;

  public JobFailure(String message, boolean retryable) {
    super(message, null, false, false);
    this.retryable = retryable;
  }

  /** A failure no retry can fix. */
  public static JobFailure fatal(String message) {
    return new JobFailure(message, false);
  }

  public boolean retryable() {
    return retryable;
  }
}
