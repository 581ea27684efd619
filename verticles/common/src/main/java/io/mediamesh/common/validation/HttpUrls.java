package io.mediamesh.common.validation;

import io.mediamesh.common.api.Limits;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * URLs a client asks a service to fetch (a feed for ingest, a file for media imports), read one way: absolute http
 * or https with a host, no user info (credentials in a URL would end up in logs and events), at most
 * {@link Limits#URL_MAX} characters. Whether the address may be reached is the fetcher's to say, when it fetches.
 */
public final class HttpUrls {

  private HttpUrls() {
  }

  /**
   * The normal form of {@code value}, or empty when it is not acceptable. Scheme and host are lower case, the default
   * port and the fragment dropped, so one resource is one URL however it was spelled.
   */
  public static Optional<URI> normal(String value) {
    if (value == null || value.isBlank() || value.length() > Limits.URL_MAX) {
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
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
      return Optional.of(new URI(scheme + "://" + host + (port == -1 ? "" : ":" + port) + path + query));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** Reads {@code field} as such a URL (required), in its normal form; a problem naming the field otherwise. */
  public static URI read(Fields f, String field) {
    String value = f.string(field, true);
    if (value == null) {
      return null;
    }
    return normal(value).orElseGet(() -> {
      f.problem(field, "must be an absolute http or https URL with a host and no user info, at most "
        + Limits.URL_MAX + " characters");
      return null;
    });
  }
}
