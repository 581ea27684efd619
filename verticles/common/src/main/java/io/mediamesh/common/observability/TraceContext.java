package io.mediamesh.common.observability;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C Trace Context ({@code traceparent}: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}).
 * Created at the edge when a request arrives without one; each hop (bus request, Kafka record) is a child span.
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

  private static final Pattern HEADER = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  public static TraceContext root() {
    return new TraceContext(randomHex(16), randomHex(8), true);
  }

  /** Parses a header; null when absent or invalid (then a new root is started, as the spec asks). */
  public static TraceContext parse(String header) {
    if (header == null) {
      return null;
    }
    var m = HEADER.matcher(header.trim());
    if (!m.matches() || m.group(1).equals("ff") || m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_SPAN)) {
      return null;
    }
    boolean sampled = (Integer.parseInt(m.group(4), 16) & 1) == 1;
    return new TraceContext(m.group(2), m.group(3), sampled);
  }

  public static TraceContext parseOrRoot(String header) {
    TraceContext parsed = parse(header);
    return parsed != null ? parsed.child() : root();
  }

  public TraceContext child() {
    return new TraceContext(traceId, randomHex(8), sampled);
  }

  public String header() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zero
    return HexFormat.of().formatHex(b);
  }
}
