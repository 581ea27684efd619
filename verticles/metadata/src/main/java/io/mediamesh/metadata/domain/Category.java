package io.mediamesh.metadata.domain;

public enum Category {
  MOVIE, TV_SHOW, DOCUMENTARY, SPORTS, NEWS, ENTERTAINMENT, EDUCATIONAL, MUSIC, PODCAST, OTHER
}
