package io.mediamesh.gateway;

import io.mediamesh.common.bus.Caller;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.Map;

/**
 * A request that passed the gateway's checks: the verified caller, the client address and the parameters and
 * body as validated against the contract (already converted to their schema types).
 */
public final class GatewayRequest {

  private final RoutingContext ctx;
  private final Caller caller;
  private final String clientIp;
  private final ValidatedRequest validated;

  GatewayRequest(RoutingContext ctx, Caller caller, String clientIp, ValidatedRequest validated) {
    this.ctx = ctx;
    this.caller = caller;
    this.clientIp = clientIp;
    this.validated = validated;
  }

  public Caller caller() {
    return caller;
  }

  public String clientIp() {
    return clientIp;
  }

  public RoutingContext context() {
    return ctx;
  }

  public String path(String name) {
    RequestParameter p = validated.getPathParameters().get(name);
    return p == null || p.isNull() ? null : String.valueOf(p.get());
  }

  /**
   * An integer path parameter as the client wrote it: digits only. The contract's {@code integer} also admits
   * {@code 1.0} and {@code 1e3} (numbers that are whole), which are not how a URL names a version: a 400 naming the
   * parameter, never a parse failure.
   */
  public int pathInteger(String name) {
    String raw = ctx.pathParam(name);
    if (raw == null || !raw.matches("[0-9]{1,10}")) {
      throw io.mediamesh.common.bus.ServiceException.validation(name, "must be a whole number written in digits");
    }
    long value = Long.parseLong(raw);
    if (value > Integer.MAX_VALUE) {
      throw io.mediamesh.common.bus.ServiceException.validation(name, "at most " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  /** A query parameter as its schema type (Integer, String, ...), or null when absent. */
  public Object query(String name) {
    RequestParameter p = validated.getQuery().get(name);
    return p == null || p.isNull() ? null : p.get();
  }

  public String header(String name) {
    return ctx.request().getHeader(name);
  }

  /** The JSON body, or an empty object when there was none. */
  public JsonObject body() {
    RequestParameter b = validated.getBody();
    if (b == null || b.isNull() || b.isEmpty()) {
      return new JsonObject();
    }
    Object v = b.get();
    return v instanceof JsonObject o ? o.copy() : new JsonObject();
  }

  /** The present query parameters copied into a JSON object (what list operations send downstream). */
  public JsonObject queryObject(String... names) {
    JsonObject o = new JsonObject();
    for (String n : names) {
      Object v = query(n);
      if (v != null) {
        o.put(n, v);
      }
    }
    return o;
  }

  Map<String, RequestParameter> rawQuery() {
    return validated.getQuery();
  }
}
