package io.mediamesh.common.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.util.UUID;

/**
 * The trace and request id of the work running now, kept in the Vert.x duplicated context that Vert.x creates for
 * each HTTP request, bus message and timer, so every future continuation of that work sees it and logs carry it.
 * <p>
 * It uses the context's local map (slot 0, present in every Vertx instance) instead of a registered
 * {@code ContextLocal}, because a registered local only exists in Vertx instances created after registration and
 * tests create their own instances first.
 */
public record RequestContext(TraceContext trace, String requestId) {

  private static final Object KEY = RequestContext.class;
  private static final String SERVICE_KEY = "mediamesh.service";

  public static RequestContext newRoot() {
    return new RequestContext(TraceContext.root(), UUID.randomUUID().toString());
  }

  /** The request context of the caller's context, if any. */
  public static RequestContext current() {
    Context ctx = Vertx.currentContext();
    if (!(ctx instanceof ContextInternal ci) || !ci.isDuplicate()) {
      return null;
    }
    return (RequestContext) ci.localContextData().get(KEY);
  }

  /**
   * Binds this request context to a fresh duplicate of the current context and returns that context, so work run on
   * it (and futures completed from it) carries the trace. Outside any Vert.x context, returns null.
   */
  public static ContextInternal bind(Vertx vertx, RequestContext rc) {
    ContextInternal ctx = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    ctx.localContextData().put(KEY, rc);
    return ctx;
  }

  /** Sets the request context on the current duplicated context (HTTP and bus handlers already run on one). */
  public static void set(RequestContext rc) {
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal ci && ci.isDuplicate()) {
      ci.localContextData().put(KEY, rc);
    }
  }

  /** Names the service a verticle context belongs to; its duplicates share it, so logs can say which service. */
  public static void bindService(Context verticleContext, String service) {
    verticleContext.put(SERVICE_KEY, service);
  }

  public static String currentService() {
    Context ctx = Vertx.currentContext();
    return ctx == null ? null : ctx.get(SERVICE_KEY);
  }

  public String traceId() {
    return trace.traceId();
  }
}
