package io.mediamesh.gateway.ratelimit;

/** A named limit: {@code limit} requests per {@code windowSeconds}, with a burst of the whole limit. */
public record RateClass(String name, int limit, int windowSeconds) {

  /** GCRA's emission interval: one request's share of the window. */
  public double emissionIntervalMs() {
    return windowSeconds * 1000.0 / limit;
  }

  /** The IETF RateLimit-Policy item: {@code "name";q=limit;w=window}. */
  public String policy() {
    return "\"" + name + "\";q=" + limit + ";w=" + windowSeconds;
  }
}
