package io.mediamesh.ingest.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The URL of a source: absolute http or https with a host, no user info (credentials in a URL would end up in
 * logs and events), at most 2048 characters. Its normal form (scheme and host in lower case, default port and
 * fragment dropped) makes the feed key, so one feed is one program however its URL was spelled.
 */
public final class FeedUrl {

  public static final int MAX_LENGTH = io.mediamesh.common.api.Limits.URL_MAX;

  private FeedUrl() {
  }

  /** The normal form, or empty when the URL is not acceptable (the caller names the field). */
  public static Optional<URI> parse(String value) {
    if (value == null || value.isBlank() || value.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
        || uri.isOpaque()) {
        return Optional.empty();
      }
      int port = uri.getPort();
      if ((scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443)) {
        port = -1;
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return Optional.of(new URI(scheme + "://" + hostPart(uri.getHost()) + (port == -1 ? "" : ":" + port)
        + path + query));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  public static String problem() {
    return "must be an absolute http or https URL with a host and no user info, at most " + MAX_LENGTH
      + " characters";
  }

  /** One feed per type and normal URL. */
  public static String feedKey(SourceType type, URI normal) {
    return type.name() + " " + normal;
  }

  private static String hostPart(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
  }
}
