package io.mediamesh.media.domain;

public enum Kind {
  IMAGE, VIDEO, AUDIO, THUMBNAIL
}
