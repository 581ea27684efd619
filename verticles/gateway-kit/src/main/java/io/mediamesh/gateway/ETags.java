package io.mediamesh.gateway;

import io.mediamesh.common.bus.ServiceException;

/** Strong ETags made of a resource version ({@code "3"}), and the If-Match / If-None-Match comparisons. */
public final class ETags {

  private ETags() {
  }

  public static String of(long version) {
    return "\"" + version + "\"";
  }

  /** The version an If-Match names, or a 400 naming the header when it is not one of ours. */
  public static int versionOf(String ifMatch) {
    String v = ifMatch.trim();
    if (v.startsWith("W/")) {
      throw ServiceException.validation("If-Match", "must be a strong ETag as sent by GET");
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      int version = Integer.parseInt(v);
      if (version < 1) {
        throw new NumberFormatException();
      }
      return version;
    } catch (NumberFormatException e) {
      throw ServiceException.validation("If-Match", "must be the ETag of a version, such as \"3\"");
    }
  }

  /** True when an If-None-Match header value matches {@code etag} (or is {@code *}). */
  public static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || etag == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
