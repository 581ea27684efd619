package io.mediamesh.testkit;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** A streamed multipart/form-data POST (the file part is read from a stream, never built in memory). */
public final class Multipart {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();

  private Multipart() {
  }

  public static HttpResponse<String> post(String url, String token, Map<String, String> fields, String fileType,
                                          Supplier<InputStream> file) throws Exception {
    String boundary = "mm-" + UUID.randomUUID();
    StringBuilder head = new StringBuilder();
    fields.forEach((k, v) -> head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
      .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
    head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\n")
      .append("Content-Type: ").append(fileType).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    // no Expect: 100-continue: JDK 17's client hangs when the answer to it is not 100 (JDK-8286171, fixed in 20);
    // the server supports it, and without it a refusal reaches the client through the lingering close
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
      .header("Content-Type", "multipart/form-data; boundary=" + boundary)
      .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(headBytes), file.get(), new ByteArrayInputStream(tail))))));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code size} bytes: {@code header} first, then a repeating pattern; generated as read. */
  public static InputStream generated(byte[] header, long size) {
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        if (position >= size) {
          return -1;
        }
        int b = position < header.length ? header[(int) position] & 0xff : (int) ((position * 31) & 0xff);
        position++;
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
          return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
          buffer[offset + i] = (byte) read();
        }
        return n;
      }
    };
  }

  /** The start of an MP4 file ("ftyp isom"), enough for type detection. */
  public static byte[] mp4Header() {
    return new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
      'i', 's', 'o', 'm', 'i', 's', 'o', '2', 'a', 'v', 'c', '1', 'm', 'p', '4', '1'};
  }
}
