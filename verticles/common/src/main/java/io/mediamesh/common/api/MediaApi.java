package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.mediamesh.common.validation.HttpUrls;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The media service's API. The bytes never travel on the event bus: uploads stream over HTTP to the media
 * service ({@link #UPLOAD_PATH}, multipart {@code contentId}, {@code contentType}, then {@code file}; Bearer token
 * of {@link #UPLOAD_ACCESS}: ADMIN or EDITOR), which the CMS gateway forwards as a stream, or resumable with tus 1.0
 * ({@link #TUS_PATH}, forwarded likewise); or go straight to storage with a presigned URL. The bus carries the rest.
 * Access: ADMIN or EDITOR, delete ADMIN only.
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
 * mediamesh.media.imports.create   {url, contentId, contentType, sha256?}              Import (QUEUED; "202")
 * mediamesh.media.imports.get      {id}                                                Import
 *
 * Media = {id, contentId, contentType, kind: IMAGE|VIDEO|AUDIO|THUMBNAIL, mimeType, sizeBytes, sha256, width,
 *          height, durationSeconds, status: PENDING|READY|FAILED|DELETING, storageKey, url, thumbnailUrl, createdAt}
 * Import = {id, mediaId, url, sha256 (the one asked for, or null), status: QUEUED|DOWNLOADING|SUCCEEDED|FAILED,
 *          bytes (stored so far), totalBytes (once the source said), attempts, error, createdBy, createdAt,
 *          updatedAt}
 * </pre>
 * An import downloads the file at {@code url} in the background into a PENDING asset (its {@code mediaId}), with the
 * same checks as an upload; the asset is READY (media.uploaded) when the import SUCCEEDED, FAILED with it otherwise.
 * Failures: 400 naming the field, 404, 409 (complete before the bytes arrived, thumbnail of a non-image),
 * 413 over the size limit of the kind, 415 when the bytes are not an allowed type or not the declared one, 422 for
 * an asset or import of content that does not exist, 503 when storage is unavailable (a failed delete can be
 * repeated). Events on media.events: media.uploaded, media.ready, media.deleted, keyed by media id.
 */
public final class MediaApi {
  public static final String SERVICE = "media";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  public static final String UPLOAD_PATH = "/internal/v1/media/upload";
  /** Who may stream an upload to {@link #UPLOAD_PATH} (HTTP, not the bus: checked by the upload route). */
  public static final Access UPLOAD_ACCESS = EDITORS;
  /**
   * The tus 1.0 server (core, creation, termination, checksum, expiration): {@code POST} here creates an upload,
   * whose URL is this path followed by its id (the asset's); the CMS gateway forwards {@code /api/v1/media/tus/} to
   * it as a stream. Every method but {@code OPTIONS} needs {@link #UPLOAD_ACCESS}.
   */
  public static final String TUS_PATH = "/internal/v1/media/tus/";

  public static final Operation<ById> GET = op("get", EDITORS, ById::from);
  public static final Operation<ByContent> BY_CONTENT = op("by-content", EDITORS, ByContent::from);
  public static final Operation<UploadCreate> UPLOADS_CREATE = op("uploads.create", EDITORS, UploadCreate::from);
  public static final Operation<ById> COMPLETE = op("complete", EDITORS, ById::from);
  public static final Operation<Thumbnail> THUMBNAIL = op("thumbnail", EDITORS, Thumbnail::from);
  public static final Operation<ById> DELETE = op("delete", ADMINS, ById::from);
  public static final Operation<ImportCreate> IMPORTS_CREATE = op("imports.create", EDITORS, ImportCreate::from);
  public static final Operation<ById> IMPORTS_GET = op("imports.get", EDITORS, ById::from);

  private MediaApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Access access,
                                                               Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, access, reader);
  }

  /**
   * Reads {@code contentType}: PROGRAM or EPISODE, required (the direct upload's request and the streamed upload's
   * form field follow the same rule).
   */
  public static String contentType(Fields f) {
    String contentType = f.string("contentType", true);
    if (contentType != null && !contentType.equals("PROGRAM") && !contentType.equals("EPISODE")) {
      f.problem("contentType", "must be PROGRAM or EPISODE");
    }
    return contentType;
  }

  /** Reads a declared MIME type from {@code field}: required, of a sensible length (accepted or not: the service's). */
  static String mimeType(Fields f, String field) {
    String mime = f.string(field, true);
    if (mime != null && (mime.length() < Limits.MIME_TYPE_MIN || mime.length() > Limits.MIME_TYPE_MAX)) {
      f.problem(field, "must be " + Limits.MIME_TYPE_MIN + " to " + Limits.MIME_TYPE_MAX + " characters");
    }
    return mime;
  }

  /**
   * {@code uploads.create}: a PENDING asset and a presigned PUT for exactly this type and length. Whether the type
   * is accepted (415) and within its kind's size (413) is the service's to say: the limits are its configuration.
   */
  public record UploadCreate(UUID contentId, String contentType, String mimeType, long sizeBytes)
    implements Operation.Request {
    public static UploadCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID contentId = f.uuid("contentId", true);
      String contentType = MediaApi.contentType(f);
      String mime = MediaApi.mimeType(f, "mimeType");
      Long size = f.longValue("sizeBytes", null, Limits.SIZE_BYTES_MIN, Long.MAX_VALUE);
      if (!f.has("sizeBytes")) {
        f.problem("sizeBytes", "is required");
      }
      f.validate();
      return new UploadCreate(contentId, contentType, mime, size);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("contentId", contentId.toString()).put("contentType", contentType)
        .put("mimeType", mimeType).put("sizeBytes", sizeBytes);
    }
  }

  /**
   * A tus upload's creation: its {@code Upload-Length} and the pairs of its
   * {@code Upload-Metadata}: {@code contentId}, {@code contentType} as for every upload, {@code filetype} (the declared
   * MIME type, required: it decides the kind and so the size limit before a byte arrives) and an optional
   * {@code filename} (kept for the client, never used for a key). Whether the type is accepted (415) and within its
   * kind's size (413) is the service's to say, as for {@link UploadCreate}.
   */
  public record TusCreate(UUID contentId, String contentType, String filetype, String filename, long uploadLength)
    implements Operation.Request {
    /** The header the length comes from, so a refusal names what the client sent. */
    public static final String UPLOAD_LENGTH = "Upload-Length";
    /** The longest {@code filename} kept. */
    public static final int TUS_FILENAME_MAX = 255;

    public static TusCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID contentId = f.uuid("contentId", true);
      String contentType = MediaApi.contentType(f);
      String mime = MediaApi.mimeType(f, "filetype");
      String filename = f.text("filename", false, TUS_FILENAME_MAX);
      Long length = f.longValue(UPLOAD_LENGTH, null, Limits.SIZE_BYTES_MIN, Long.MAX_VALUE);
      if (!f.has(UPLOAD_LENGTH)) {
        f.problem(UPLOAD_LENGTH, "is required");
      }
      f.validate();
      return new TusCreate(contentId, contentType, mime, filename, length);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("contentId", contentId.toString()).put("contentType", contentType)
        .put("filetype", filetype).put("filename", filename).put(UPLOAD_LENGTH, uploadLength);
    }
  }

  /** Where an import is: waiting (also for a retry), downloading, or ended. */
  public enum ImportStatus {
    QUEUED, DOWNLOADING, SUCCEEDED, FAILED
  }

  /**
   * {@code imports.create}: the file at {@code url} (in its normal form, see {@link HttpUrls}) becomes an asset of the
   * content; {@code sha256}, when given (64 hex digits, kept in lower case), must be the file's. Whether the address
   * may be fetched, the type and the size are the service's to say when it downloads.
   */
  public record ImportCreate(URI url, UUID contentId, String contentType, String sha256) implements Operation.Request {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{" + Limits.SHA256_HEX + "}");

    public static ImportCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      URI url = HttpUrls.read(f, "url");
      UUID contentId = f.uuid("contentId", true);
      String contentType = MediaApi.contentType(f);
      String sha256 = f.string("sha256", false);
      if (sha256 != null && !SHA256.matcher(sha256).matches()) {
        f.problem("sha256", "must be " + Limits.SHA256_HEX + " hexadecimal digits");
      }
      f.validate();
      return new ImportCreate(url, contentId, contentType, sha256 == null ? null : sha256.toLowerCase(Locale.ROOT));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("url", url.toString()).put("contentId", contentId.toString())
        .put("contentType", contentType);
      return sha256 == null ? json : json.put("sha256", sha256);
    }
  }

  /**
   * {@code thumbnail}: a READY image scaled to fit {@code width x height}. The service may hold the sides to less
   * than {@link Limits#THUMBNAIL_MAX} ({@code services.media.thumbnailMaxDimension}).
   */
  public record Thumbnail(UUID id, int width, int height) implements Operation.Request {
    public static Thumbnail from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      Integer width = f.requiredInteger("width", Limits.THUMBNAIL_MIN, Limits.THUMBNAIL_MAX);
      Integer height = f.requiredInteger("height", Limits.THUMBNAIL_MIN, Limits.THUMBNAIL_MAX);
      f.validate();
      return new Thumbnail(id, width, height);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("width", width).put("height", height);
    }
  }
}
