package io.mediamesh.cms.domain;

/** The publishing workflow: DRAFT -> PUBLISHED <-> UNPUBLISHED; any -> ARCHIVED; ARCHIVED -> DRAFT (restore). */
public enum Status {
  DRAFT, PUBLISHED, UNPUBLISHED, ARCHIVED;

  public boolean publishable() {
    return this == DRAFT || this == UNPUBLISHED;
  }
}
