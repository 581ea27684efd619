package io.mediamesh.common.net;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link SafeFetcher} may fetch and how much: each service that fetches from outside builds one from its own
 * settings.
 *
 * @param allowedHosts    host names or IP addresses that may be fetched although private, loopback or link-local
 * @param allowedHostsKey the configuration key those come from, named when an address is refused
 * @param timeoutMs       a buffered fetch must end within it; a streamed one must be answered within it, then may
 *                        not stay silent longer than it
 * @param maxRedirects    redirects followed, each checked like the first URL
 * @param maxBytes        the largest body a buffered fetch reads, and the largest {@code Content-Length} a streamed one
 *                        accepts
 * @param userAgent       sent with every request
 */
public record FetchConfig(List<String> allowedHosts, String allowedHostsKey, long timeoutMs, int maxRedirects,
                          long maxBytes, String userAgent) {

  public FetchConfig {
    allowedHosts = List.copyOf(allowedHosts);
    if (timeoutMs < 100 || maxRedirects < 0 || maxRedirects > 20 || maxBytes < 1) {
      throw new ConfigException("fetching (" + allowedHostsKey + "): a value is out of range: timeoutMs " + timeoutMs
        + ", maxRedirects " + maxRedirects + ", maxBytes " + maxBytes);
    }
  }

  /**
   * Reads an allowlist from configuration: a comma-separated string (as environment variables give it) or a list;
   * entries trimmed and lower-cased, IPv6 brackets dropped, empty ones ignored.
   */
  public static List<String> hosts(Object value, String key) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      for (String part : s.split(",")) {
        add(out, part);
      }
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> add(out, String.valueOf(v)));
    } else if (value != null) {
      throw new ConfigException("config '" + key + "' must be a comma-separated string or a list");
    }
    return List.copyOf(out);
  }

  private static void add(List<String> out, String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!h.isEmpty()) {
      out.add(h);
    }
  }
}
