package io.mediamesh.common.api;

import io.mediamesh.common.bus.Addresses;

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
  public static final String UPLOAD_PATH = "/internal/v1/media/upload";
  public static final String GET = Addresses.of(SERVICE, "get");
  public static final String BY_CONTENT = Addresses.of(SERVICE, "by-content");
  public static final String UPLOADS_CREATE = Addresses.of(SERVICE, "uploads.create");
  public static final String COMPLETE = Addresses.of(SERVICE, "complete");
  public static final String THUMBNAIL = Addresses.of(SERVICE, "thumbnail");
  public static final String DELETE = Addresses.of(SERVICE, "delete");

  private MediaApi() {
  }

  public static String operation(String address) {
    return Addresses.operation(SERVICE, address);
  }
}
