package io.mediamesh.media.domain;

public enum AssetStatus {
  PENDING, READY, FAILED, DELETING
}
