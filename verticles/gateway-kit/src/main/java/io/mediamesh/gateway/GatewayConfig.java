package io.mediamesh.gateway;

import io.mediamesh.common.config.ConfigException;
import io.mediamesh.gateway.ratelimit.RateClass;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway's own settings, read once from {@code services.<gateway>}: body limit, trusted proxies, CORS origins,
 * breaker tuning, rate-limit classes and what to do when Redis cannot decide.
 */
public record GatewayConfig(long maxBodyBytes, List<String> trustedProxies, List<String> corsOrigins,
                            BreakerSettings breaker, Map<String, RateClass> rateClasses, boolean rateLimitFailOpen,
                            JsonObject raw) {

  /** Circuit breaker tuning, the same for every downstream of a gateway. */
  public record BreakerSettings(long timeoutMs, int maxFailures, long resetTimeoutMs, int maxRetries,
                                long retryBaseMs, long retryMaxMs) {
  }

  public static GatewayConfig from(JsonObject service) {
    String path = "services." + service.getString("name", "gateway");
    JsonObject b = service.getJsonObject("breaker", new JsonObject());
    BreakerSettings breaker = new BreakerSettings(b.getLong("timeoutMs", 3000L), b.getInteger("maxFailures", 5),
      b.getLong("resetTimeoutMs", 5000L), b.getInteger("maxRetries", 2), b.getLong("retryBaseMs", 25L),
      b.getLong("retryMaxMs", 250L));
    Map<String, RateClass> classes = new LinkedHashMap<>();
    JsonObject rl = service.getJsonObject("rateLimits", new JsonObject());
    for (String name : rl.fieldNames()) {
      JsonObject c = rl.getJsonObject(name);
      int limit = c.getInteger("limit", 0);
      int window = c.getInteger("windowSeconds", 0);
      if (limit < 1 || window < 1) {
        throw new ConfigException("config '" + path + ".rateLimits." + name
          + "' needs limit >= 1 and windowSeconds >= 1");
      }
      classes.put(name, new RateClass(name, limit, window));
    }
    String failMode = service.getString("rateLimitWhenRedisDown", "open");
    if (!failMode.equals("open") && !failMode.equals("closed")) {
      throw new ConfigException("config '" + path + ".rateLimitWhenRedisDown' must be open or closed, got " + failMode);
    }
    return new GatewayConfig(service.getLong("maxBodyBytes", 1_048_576L), strings(service, "trustedProxies"),
      strings(service, "corsOrigins"), breaker, classes, failMode.equals("open"), service);
  }

  /** Accepts a JSON array or a comma-separated string (as environment variables give). */
  private static List<String> strings(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v instanceof JsonArray a) {
      return a.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    if (v instanceof String s) {
      return List.of(s.split(",")).stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
    return List.of();
  }

  public RateClass rateClass(String name) {
    RateClass c = rateClasses.get(name);
    if (c == null) {
      throw new ConfigException("rate-limit class '" + name + "' is used by the contract but not configured");
    }
    return c;
  }
}
