package io.mediamesh.common.api;

import io.mediamesh.common.bus.Addresses;

/**
 * The CMS service's event-bus API. Access: "editor" = ADMIN or EDITOR, "admin" = ADMIN only; USER and anonymous
 * callers are refused (401 without a token, 403 with the USER role).
 * <pre>
 * address                              access  request                                               reply
 * mediamesh.cms.program.create         editor  {title, description?}                                 Program
 * mediamesh.cms.program.get            editor  {id}                                                  Program
 * mediamesh.cms.program.list           editor  {status?, page?, size?, sort?}                        Page of Program
 * mediamesh.cms.program.update         editor  {id, version, title?, description?}                   Program
 * mediamesh.cms.program.delete         admin   {id}                                                  {} (episodes too)
 * mediamesh.cms.program.publish        editor  {id, publishAt?}                                      Program
 * mediamesh.cms.program.unpublish      editor  {id}                                                  Program
 * mediamesh.cms.program.archive        editor  {id}                                                  Program
 * mediamesh.cms.program.restore        editor  {id}                                                  Program (ARCHIVED to DRAFT)
 * mediamesh.cms.episode.create         editor  {programId, seasonNumber, episodeNumber, title,
 *                                               description?, durationSeconds?}                      Episode
 * mediamesh.cms.episode.get            editor  {id}                                                  Episode
 * mediamesh.cms.episode.list           editor  {programId?, status?, page?, size?, sort?}            Page of Episode
 * mediamesh.cms.episode.update         editor  {id, version, title?, description?, seasonNumber?,
 *                                               episodeNumber?, durationSeconds?}                    Episode
 * mediamesh.cms.episode.delete         admin   {id}                                                  {}
 * mediamesh.cms.episode.publish        editor  {id, publishAt?}                                      Episode
 * mediamesh.cms.episode.unpublish      editor  {id}                                                  Episode
 *
 * Program = {id, title, description, status, publishAt, publishedAt, createdAt, updatedAt, createdBy, version}
 * Episode = {id, programId, seasonNumber, episodeNumber, title, description, durationSeconds, status, publishAt,
 *            publishedAt, createdAt, updatedAt, version}
 * Page    = {items, page, size, total}; page counts from 0, size 1..100 (default 20);
 *           sort = "field" or "field,asc|desc" over createdAt, updatedAt, publishedAt, title (and seasonNumber,
 *           episodeNumber for episodes); ties are broken by id, so pages are stable.
 * </pre>
 * Status: DRAFT -> PUBLISHED <-> UNPUBLISHED; any of them -> ARCHIVED; ARCHIVED -> DRAFT (restore). An archived
 * program (or an episode of one) cannot be edited or published. A {@code publishAt} in the future schedules the
 * publication: the service publishes it on time, once, also after a restart. Failures: 400 naming the field, 404,
 * 409 for a stale {@code version}, a taken season/episode number or a transition the status does not allow.
 * Events: content.created|updated|published|unpublished|archived|deleted on content.events, keyed by content id,
 * data = the full snapshot (with {@code contentType} PROGRAM or EPISODE, and the version).
 */
public final class CmsApi {
  public static final String SERVICE = "cms";
  public static final String PROGRAM_CREATE = Addresses.of(SERVICE, "program.create");
  public static final String PROGRAM_GET = Addresses.of(SERVICE, "program.get");
  public static final String PROGRAM_LIST = Addresses.of(SERVICE, "program.list");
  public static final String PROGRAM_UPDATE = Addresses.of(SERVICE, "program.update");
  public static final String PROGRAM_DELETE = Addresses.of(SERVICE, "program.delete");
  public static final String PROGRAM_PUBLISH = Addresses.of(SERVICE, "program.publish");
  public static final String PROGRAM_UNPUBLISH = Addresses.of(SERVICE, "program.unpublish");
  public static final String PROGRAM_ARCHIVE = Addresses.of(SERVICE, "program.archive");
  public static final String PROGRAM_RESTORE = Addresses.of(SERVICE, "program.restore");
  public static final String EPISODE_CREATE = Addresses.of(SERVICE, "episode.create");
  public static final String EPISODE_GET = Addresses.of(SERVICE, "episode.get");
  public static final String EPISODE_LIST = Addresses.of(SERVICE, "episode.list");
  public static final String EPISODE_UPDATE = Addresses.of(SERVICE, "episode.update");
  public static final String EPISODE_DELETE = Addresses.of(SERVICE, "episode.delete");
  public static final String EPISODE_PUBLISH = Addresses.of(SERVICE, "episode.publish");
  public static final String EPISODE_UNPUBLISH = Addresses.of(SERVICE, "episode.unpublish");

  private CmsApi() {
  }

  public static String operation(String address) {
    return Addresses.operation(SERVICE, address);
  }
}
