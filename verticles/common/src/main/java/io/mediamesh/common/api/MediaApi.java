package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;

/**
 * The media service's API. The bytes never travel on the event bus: uploads stream over HTTP to the media
 * service ({@link #UPLOAD_PATH}, multipart {@code contentId}, {@code contentType}, then {@code file}; Bearer token
 * of an ADMIN or EDITOR), which the CMS gateway forwards as a stream; or go straight to storage with a presigned
 * URL. The bus carries the rest. Access: ADMIN or EDITOR, delete ADMIN only.
 * <pre>
 * address                          request                                             reply
 * mediamesh.media.get              {id}                                                Media
 * mediamesh.media.by-content       {contentId}                                         {items: [Media]}
 * mediamesh.media.uploads.create   {contentId, contentType, mimeType, sizeBytes}       {media, uploadUrl,
 *                                                                                       uploadMethod: "PUT",
 *                                                                                       uploadHeaders, expiresAt}
 * mediamesh.media.complete         {id}                                                Media (READY)
 * mediamesh.media.thumbnail        {id, width, height}                                 Media with thumbnailUrl
 * mediamesh.media.delete           {id}                                                {}
 *
 * Media = {id, contentId, contentType, kind: IMAGE|VIDEO|AUDIO|THUMBNAIL, mimeType, sizeBytes, sha256, width,
 *          height, durationSeconds, status: PENDING|READY|FAILED|DELETING, storageKey, url, thumbnailUrl, createdAt}
 * </pre>
 * Failures: 400 naming the field, 404, 409 (complete before the bytes arrived, thumbnail of a non-image),
 * 413 over the size limit of the kind, 415 when the bytes are not an allowed type or not the declared one,
 * 503 when storage is unavailable (a failed delete can be repeated). Events on media.events: media.uploaded,
 * media.ready, media.deleted, keyed by media id.
 */
public final class MediaApi {
  public static final String SERVICE = "media";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  public static final String UPLOAD_PATH = "/internal/v1/media/upload";
  public static final Operation<Operation.Json> GET = Operation.of(SERVICE, "get", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> BY_CONTENT = Operation.of(SERVICE, "by-content", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> UPLOADS_CREATE = Operation.of(SERVICE, "uploads.create", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> COMPLETE = Operation.of(SERVICE, "complete", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> THUMBNAIL = Operation.of(SERVICE, "thumbnail", EDITORS, Operation.Json::from);
  public static final Operation<Operation.Json> DELETE = Operation.of(SERVICE, "delete", ADMINS, Operation.Json::from);

  private MediaApi() {
  }

  public static String operation(Operation<?> operation) {
    return operation.name();
  }
}
