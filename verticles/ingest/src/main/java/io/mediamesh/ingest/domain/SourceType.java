package io.mediamesh.ingest.domain;

/** What a source is, which decides how its response is parsed. */
public enum SourceType {
  /** RSS 0.9x to 2.0 (podcasts with iTunes tags) or Atom. */
  RSS,
  /** A YouTube channel feed: Atom with the {@code yt:} and {@code media:} namespaces. */
  YOUTUBE,
  /** A JSON document read through the source's declared JSON Pointer mapping. */
  API
}
