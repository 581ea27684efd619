package io.mediamesh.cms;

import io.mediamesh.common.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * The CMS's settings ({@code services.cms.*}), read once.
 *
 * @param schedulerIntervalMs how often due publications are looked for (250 ms: well within a second of the time)
 */
public record CmsConfig(long schedulerIntervalMs) {

  public static CmsConfig from(JsonObject raw) {
    long interval = raw.getLong("schedulerIntervalMs", 250L);
    if (interval < 10) {
      throw new ConfigException("services.cms.schedulerIntervalMs must be at least 10, was " + interval);
    }
    return new CmsConfig(interval);
  }
}
