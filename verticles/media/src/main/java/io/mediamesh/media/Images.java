package io.mediamesh.media;

import net.coobird.thumbnailator.Thumbnails;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/** Image work (blocking: call on a worker thread). */
final class Images {

  record Size(int width, int height) {
  }

  private Images() {
  }

  /** Width and height from the header alone; the bytes may be just the start of the file. */
  static Optional<Size> size(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return Optional.empty();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return Optional.of(new Size(reader.getWidth(0), reader.getHeight(0)));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Scales to fit within the box, keeping the aspect ratio, as JPEG (PNG when the source has transparency). The
   * source is decoded subsampled, every n-th pixel where it is more than twice the box, so a large image costs what
   * its thumbnail needs (an 8000x8000 PNG decoded whole is 256 MB of pixels); EXIF orientation is kept.
   */
  static byte[] thumbnail(byte[] image, int maxWidth, int maxHeight, boolean png, long maxPixels) throws IOException {
    BufferedImage decoded;
    net.coobird.thumbnailator.util.exif.Orientation orientation = null;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
      Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("not a readable image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, false);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > maxPixels) {
          throw new io.mediamesh.common.bus.ServiceException(io.mediamesh.common.bus.ErrorCode.UNPROCESSABLE,
            "an image of " + width + "x" + height + " pixels is over the limit of " + maxPixels + " pixels");
        }
        // the side that limits the thumbnail sets the step, so no side is decoded much larger than it is needed
        int step = Math.max(1, Math.min(Math.max(width / (2 * maxWidth), height / (2 * maxHeight)),
          Math.min(width, height)));
        try {
          orientation = net.coobird.thumbnailator.util.exif.ExifUtils.getExifOrientation(reader, 0);
        } catch (IOException | RuntimeException noExif) {
          orientation = null; // no or unreadable EXIF: as stored
        }
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        decoded = reader.read(0, param);
      } finally {
        reader.dispose();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    net.coobird.thumbnailator.Thumbnails.Builder<BufferedImage> builder = Thumbnails.of(decoded)
      .size(maxWidth, maxHeight).keepAspectRatio(true).outputFormat(png ? "png" : "jpg");
    net.coobird.thumbnailator.filters.ImageFilter upright = orientation == null ? null
      : net.coobird.thumbnailator.util.exif.ExifFilterUtils.getFilterForOrientation(orientation);
    if (upright != null) {
      builder.addFilter(upright);
    }
    builder.toOutputStream(out);
    return out.toByteArray();
  }
}
