package io.mediamesh.processing.work;

import io.mediamesh.storage.Storage;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Files zipped straight into a multipart upload: the ZIP is written part by part (one part in memory at a time),
 * never whole, and never to disk. Images are stored, not deflated (JPEG and PNG are compressed already). Blocking:
 * run it on a worker thread.
 */
final class ZipUpload {

  private ZipUpload() {
  }

  /** Zips {@code files} (their names as entries) to {@code key}; answers the ZIP's size in bytes. */
  static long write(Storage storage, String key, List<Path> files, int partSize, IntConsumer filesDone)
    throws IOException {
    String uploadId = join(storage.createMultipart(key, "application/zip"));
    PartStream parts = new PartStream(storage, key, uploadId, partSize);
    try {
      try (ZipOutputStream zip = new ZipOutputStream(parts)) {
        zip.setMethod(ZipOutputStream.STORED);
        byte[] buffer = new byte[64 * 1024];
        int done = 0;
        for (Path file : files) {
          ZipEntry entry = new ZipEntry(file.getFileName().toString());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(Files.size(file));
          entry.setCompressedSize(Files.size(file));
          entry.setCrc(crc(file, buffer));
          zip.putNextEntry(entry);
          try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
              zip.write(buffer, 0, n);
            }
          }
          zip.closeEntry();
          filesDone.accept(++done);
        }
      }
      join(storage.completeMultipart(key, uploadId, parts.completed));
      return parts.total;
    } catch (IOException | RuntimeException e) {
      storage.abortMultipart(key, uploadId);
      throw e;
    }
  }

  private static long crc(Path file, byte[] buffer) throws IOException {
    CRC32 crc = new CRC32();
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future) throws IOException {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw new IOException("storage: " + Storage.unwrap(e).getMessage(), Storage.unwrap(e));
    }
  }

  /** Bytes gathered into parts of {@code partSize}, each uploaded when full; the last on close. */
  private static final class PartStream extends OutputStream {
    private final Storage storage;
    private final String key;
    private final String uploadId;
    private final byte[] part;
    private final List<CompletedPart> completed = new ArrayList<>();
    private int used;
    private long total;

    PartStream(Storage storage, String key, String uploadId, int partSize) {
      this.storage = storage;
      this.key = key;
      this.uploadId = uploadId;
      this.part = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, part.length - used);
        System.arraycopy(b, off, part, used, n);
        used += n;
        off += n;
        len -= n;
        total += n;
        if (used == part.length) {
          send();
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (used > 0 || completed.isEmpty()) {
        send();
      }
    }

    private void send() throws IOException {
      byte[] bytes = java.util.Arrays.copyOf(part, used);
      completed.add(join(storage.uploadPart(key, uploadId, completed.size() + 1, bytes)));
      used = 0;
    }
  }
}
