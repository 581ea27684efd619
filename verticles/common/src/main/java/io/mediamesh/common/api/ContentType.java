package io.mediamesh.common.api;

/** What content is: a CMS program or one of its episodes (metadata describes one, a view is of one, media is for one). */
public enum ContentType {
  PROGRAM, EPISODE
}
