package io.mediamesh.common.api;

import io.mediamesh.common.bus.Addresses;

/**
 * The metadata service's event-bus API. Access: ADMIN or EDITOR for everything.
 * <pre>
 * address                          request                                                        reply
 * mediamesh.metadata.create        {contentId, contentType, title, description?, category, language,
 *                                   durationSeconds?, publishDate?, tags?}                         Metadata
 * mediamesh.metadata.get           {id}                                                           Metadata
 * mediamesh.metadata.by-content    {contentId}                                                    Metadata
 * mediamesh.metadata.update        {id, version, title, description?, category, language,
 *                                   durationSeconds?, publishDate?, tags?}  (replaces the fields) Metadata
 * mediamesh.metadata.versions      {id, page?, size?}                    {items: [VersionInfo], page, size, total}
 * mediamesh.metadata.version       {id, version}                                    Metadata as it was then
 * mediamesh.metadata.restore       {id, version}                  Metadata (a new version with those fields)
 *
 * Metadata    = {id, contentId, contentType: PROGRAM|EPISODE, title, description, category, language,
 *                durationSeconds, publishDate (YYYY-MM-DD), tags[], version, createdAt, updatedAt}
 * VersionInfo = {version, change: created|updated|restored|deleted, restoredFrom, changedBy, changedAt}
 * category    = MOVIE TV_SHOW DOCUMENTARY SPORTS NEWS ENTERTAINMENT EDUCATIONAL MUSIC PODCAST OTHER
 * language    = a BCP 47 tag (en, ar, pt-BR, ...), stored in canonical form
 * tags        = up to 30, each 1..50 characters, stored trimmed, lower case, without duplicates
 * </pre>
 * Failures: 400 naming each field, 404, 409 for a stale version or metadata that already exists for the
 * content, 422 when the content does not exist in the CMS. Events on metadata.events: metadata.created,
 * metadata.updated (also for a restore), metadata.deleted (when its content is deleted), keyed by metadata id.
 */
public final class MetadataApi {
  public static final String SERVICE = "metadata";
  public static final String CREATE = Addresses.of(SERVICE, "create");
  public static final String GET = Addresses.of(SERVICE, "get");
  public static final String BY_CONTENT = Addresses.of(SERVICE, "by-content");
  public static final String UPDATE = Addresses.of(SERVICE, "update");
  public static final String VERSIONS = Addresses.of(SERVICE, "versions");
  public static final String VERSION = Addresses.of(SERVICE, "version");
  public static final String RESTORE = Addresses.of(SERVICE, "restore");

  private MetadataApi() {
  }

  public static String operation(String address) {
    return Addresses.operation(SERVICE, address);
  }
}
