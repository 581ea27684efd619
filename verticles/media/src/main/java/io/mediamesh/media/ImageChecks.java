package io.mediamesh.media;

import io.mediamesh.storage.Storage;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.domain.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * What an image must be before it is accepted or decoded: its size readable from its header, and no more pixels
 * than {@code services.media.maxImagePixels} (a decompression bomb is refused by its header, before any decode).
 */
final class ImageChecks {

  /** Headers such as a long EXIF block can push the size past the sniffed prefix: this much is read next. */
  private static final int LARGER_PREFIX = 512 * 1024;

  private final Vertx vertx;
  private final Storage storage;
  private final long maxPixels;

  ImageChecks(Vertx vertx, Storage storage, long maxPixels) {
    this.vertx = vertx;
    this.storage = storage;
    this.maxPixels = maxPixels;
  }

  long maxPixels() {
    return maxPixels;
  }

  /** An image whose size cannot be read from its header is not accepted: its pixel count would be unknown. */
  static void requireDimensions(Kind kind, Optional<Images.Size> size) {
    if (kind == Kind.IMAGE && size.isEmpty()) {
      throw new ServiceException(ErrorCode.UNPROCESSABLE, "file: the image's size cannot be read from its header",
        new JsonObject().put("fields", new JsonObject().put("file", "size unreadable")));
    }
  }

  /** Refuses an image whose header announces more pixels than decoding should ever be asked for. */
  void checkPixels(Optional<Images.Size> size) {
    if (size.isPresent() && (long) size.get().width() * size.get().height() > maxPixels) {
      Images.Size d = size.get();
      throw new ServiceException(ErrorCode.UNPROCESSABLE, "file: an image of " + d.width() + "x" + d.height()
        + " pixels is over the limit of " + maxPixels + " pixels",
        new JsonObject().put("fields", new JsonObject().put("file", "over " + maxPixels + " pixels")));
    }
  }

  /** The size of an image object from its header ({@code prefix}, or a larger start of {@code key}); empty if none. */
  Future<Optional<Images.Size>> dimensions(Kind kind, String key, byte[] prefix) {
    if (kind != Kind.IMAGE) {
      return Future.succeededFuture(Optional.empty());
    }
    return vertx.executeBlocking(() -> Images.size(prefix), false).compose(size -> size.isPresent()
      ? Future.succeededFuture(size)
      : Stages.future(vertx, storage.prefix(key, LARGER_PREFIX))
        .compose(more -> vertx.executeBlocking(() -> Images.size(more), false)));
  }
}
