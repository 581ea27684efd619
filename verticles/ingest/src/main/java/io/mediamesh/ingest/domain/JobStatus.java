package io.mediamesh.ingest.domain;

/** PENDING (waiting, perhaps out a retry backoff) to RUNNING to COMPLETED or FAILED. */
public enum JobStatus {
  PENDING, RUNNING, COMPLETED, FAILED
}
