package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;

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
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  public static final Operation<Operation.Json> CREATE = Operation.of(SERVICE, "create", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> GET = Operation.of(SERVICE, "get", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> BY_CONTENT = Operation.of(SERVICE, "by-content", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> UPDATE = Operation.of(SERVICE, "update", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> VERSIONS = Operation.of(SERVICE, "versions", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> VERSION = Operation.of(SERVICE, "version", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> RESTORE = Operation.of(SERVICE, "restore", EDITORS, Operation.Json::from);

  private MetadataApi() {
  }

  public static String operation(Operation<?> operation) {
    return operation.name();
  }
}
