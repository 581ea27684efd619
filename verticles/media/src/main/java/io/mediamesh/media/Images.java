package io.mediamesh.media;

import net.coobird.thumbnailator.Thumbnails;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
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

  /** Scales to fit within the box, keeping the aspect ratio, as JPEG (PNG when the source has transparency). */
  static byte[] thumbnail(byte[] image, int maxWidth, int maxHeight, boolean png) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thumbnails.of(new ByteArrayInputStream(image)).size(maxWidth, maxHeight).keepAspectRatio(true)
      .outputFormat(png ? "png" : "jpg").toOutputStream(out);
    return out.toByteArray();
  }
}
