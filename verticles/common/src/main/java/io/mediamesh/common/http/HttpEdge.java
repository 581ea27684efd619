package io.mediamesh.common.http;

import io.mediamesh.common.bus.ErrorBody;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.ConfigException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every HTTP server of the platform does before a request reaches its router, so a hostile client cannot hold
 * or confuse a server:
 * <ul>
 *   <li><b>slow clients</b>: a connection must deliver a request's headers within {@code headerTimeoutSeconds} of
 *   opening or of its previous answer (else it is closed), and a body that a handler reads whole
 *   ({@link #watchBody}: the gateways' JSON bodies, form bodies) must keep arriving at {@code bodyMinBytesPerSecond}
 *   averaged over {@code bodyTimeoutSeconds} (else a 408 and close). Streamed bodies are not watched that way: the
 *   server itself pauses them (backpressure to storage), which a byte count cannot tell from a slow client; a
 *   connection idle for {@code idleTimeoutSeconds} is closed. One sweep a second checks every connection, so the hot
 *   path only writes a few fields per request;</li>
 *   <li><b>ambiguous framing</b>: {@code Transfer-Encoding} other than exactly {@code chunked}, a
 *   {@code Transfer-Encoding} with a {@code Content-Length}, and more than one {@code Host} or
 *   {@code Content-Length} are a 400 and the connection is closed (request smuggling needs two parsers to disagree);</li>
 *   <li><b>oversized request lines and headers</b>: 414 and 431 in the error shape, not an empty answer.</li>
 * </ul>
 */
public final class HttpEdge {

  /** Settings from the {@code http} section; {@code host} may be overridden per service. */
  public record Settings(String host, int idleTimeoutSeconds, int headerTimeoutSeconds, int bodyTimeoutSeconds,
                         int bodyMinBytesPerSecond, int maxInitialLineLength, int maxHeaderSize) {

    public static Settings from(JsonObject root, String service) {
      JsonObject http = root.getJsonObject("http", new JsonObject());
      JsonObject own = root.getJsonObject("services", new JsonObject()).getJsonObject(service, new JsonObject());
      Settings s = new Settings(own.getString("host", http.getString("host", "127.0.0.1")),
        http.getInteger("idleTimeoutSeconds", 60), http.getInteger("headerTimeoutSeconds", 15),
        http.getInteger("bodyTimeoutSeconds", 10), http.getInteger("bodyMinBytesPerSecond", 256),
        http.getInteger("maxInitialLineLength", 4096), http.getInteger("maxHeaderSize", 8192));
      if (s.idleTimeoutSeconds < 1 || s.headerTimeoutSeconds < 1 || s.bodyTimeoutSeconds < 1
        || s.bodyMinBytesPerSecond < 0) {
        throw new ConfigException("http.idleTimeoutSeconds, headerTimeoutSeconds and bodyTimeoutSeconds must be >= 1, "
          + "bodyMinBytesPerSecond >= 0");
      }
      return s;
    }

    public HttpServerOptions options(int port) {
      // no h2c upgrade: Netty buffers the whole body of an upgrade request, which breaks streamed uploads
      return new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true)
        .setHttp2ClearTextEnabled(false).setIdleTimeout(idleTimeoutSeconds)
        .setMaxInitialLineLength(maxInitialLineLength).setMaxHeaderSize(maxHeaderSize);
    }
  }

  private static final int HEADERS = 0;
  private static final int BODY = 1;
  private static final int ANSWERING = 2;

  /** One open connection's state; touched only on the server's event loop. */
  private static final class Conn {
    final HttpConnection connection;
    int state = HEADERS;
    long since;
    long bytesAtCheck;
    HttpServerRequest request;
    /** Refused and closing: requests pipelined behind the refused one are never handled. */
    boolean refused;

    Conn(HttpConnection connection, long now) {
      this.connection = connection;
      this.since = now;
    }
  }

  /** Every open connection of every edge, to find a request's from {@link #watchBody}. */
  private static final Map<HttpConnection, Conn> ALL = new java.util.concurrent.ConcurrentHashMap<>();

  private final Settings settings;
  private final Map<HttpConnection, Conn> connections = new HashMap<>();

  private HttpEdge(Settings settings) {
    this.settings = settings;
  }

  /**
   * Puts the edge in front of {@code handler} on {@code server}, sweeping on {@code vertx}'s current context; returns
   * the timer id to cancel when the server stops.
   */
  public static long install(Vertx vertx, HttpServer server, Settings settings, Handler<HttpServerRequest> handler) {
    HttpEdge edge = new HttpEdge(settings);
    HttpServerOptions options = settings.options(0);
    server.invalidRequestHandler(edge::invalid);
    server.connectionHandler(conn -> {
      StrictRequestDecoder.install(conn, options);
      Conn state = new Conn(conn, System.nanoTime());
      edge.connections.put(conn, state);
      ALL.put(conn, state);
      conn.closeHandler(v -> {
        edge.connections.remove(conn);
        ALL.remove(conn);
      });
    });
    server.requestHandler(req -> {
      if (edge.admit(req)) {
        handler.handle(req);
      }
    });
    return vertx.setPeriodic(1000, id -> edge.sweep(System.nanoTime()));
  }

  private boolean admit(HttpServerRequest req) {
    Conn conn = connections.get(req.connection());
    if (conn != null && conn.refused) {
      req.connection().close();
      return false;
    }
    if (conn != null) {
      conn.state = ANSWERING; // a body is watched only once a handler reads it whole (watchBody)
      conn.since = System.nanoTime();
      conn.bytesAtCheck = 0;
      conn.request = req; // its answer's end is seen by the sweep (a response has one end handler: the router's)
    }
    String problem = framingProblem(req);
    if (problem != null) {
      reject(req, new ServiceException(ErrorCode.VALIDATION, problem));
      return false;
    }
    return true;
  }

  /**
   * Holds a request whose body a handler now reads whole, as fast as it arrives, to the minimum rate: from now on a
   * client that drips it is answered 408 and closed. Call on the request's event loop when starting to read.
   */
  public static void watchBody(HttpServerRequest request) {
    Conn conn = ALL.get(request.connection());
    // (a router hands handlers a wrapper of the request: matched by connection, where requests come one at a time)
    if (conn != null && conn.request != null && !request.isEnded()) {
      conn.state = BODY;
      conn.since = System.nanoTime();
      conn.bytesAtCheck = request.bytesRead();
    }
  }

  /** What makes a request's framing ambiguous, or null. */
  static String framingProblem(HttpServerRequest req) {
    List<String> hosts = req.headers().getAll(HttpHeaders.HOST);
    if (hosts.size() > 1) {
      return "more than one Host header";
    }
    List<String> lengths = req.headers().getAll(HttpHeaders.CONTENT_LENGTH);
    if (lengths.size() > 1) {
      return "more than one Content-Length header";
    }
    List<String> codings = req.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      if (codings.size() > 1 || !"chunked".equals(codings.get(0).trim().toLowerCase(Locale.ROOT))) {
        return "unsupported Transfer-Encoding: only chunked is accepted";
      }
      if (!lengths.isEmpty()) {
        return "Transfer-Encoding and Content-Length together";
      }
    }
    return null;
  }

  private void sweep(long now) {
    long headerNanos = settings.headerTimeoutSeconds * 1_000_000_000L;
    long bodyNanos = settings.bodyTimeoutSeconds * 1_000_000_000L;
    for (Conn conn : List.copyOf(connections.values())) {
      if (conn.state != HEADERS && conn.request != null && conn.request.response().ended()) {
        // answered: from now on the connection waits for its next request's headers
        conn.state = HEADERS;
        conn.since = now;
        conn.request = null;
      }
      if (conn.state == HEADERS) {
        if (now - conn.since > headerNanos) {
          conn.connection.close();
        }
      } else if (conn.state == BODY) {
        HttpServerRequest req = conn.request;
        if (req == null || req.isEnded()) {
          conn.state = ANSWERING;
        } else if (now - conn.since > bodyNanos) {
          long read = req.bytesRead();
          if (read - conn.bytesAtCheck < (long) settings.bodyMinBytesPerSecond * settings.bodyTimeoutSeconds) {
            conn.state = ANSWERING;
            reject(req, new ServiceException(ErrorCode.REQUEST_TIMEOUT,
              "the request body arrived too slowly (under " + settings.bodyMinBytesPerSecond + " bytes/s over "
                + settings.bodyTimeoutSeconds + " s)"));
          } else {
            conn.bytesAtCheck = read;
            conn.since = now;
          }
        }
      }
    }
  }

  /** Answers in the error shape, then closes the connection (its framing or pace can no longer be trusted). */
  private void reject(HttpServerRequest request, ServiceException error) {
    Conn conn = connections.get(request.connection());
    if (conn != null) {
      conn.refused = true;
    }
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    response.setStatusCode(error.code().status())
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(ErrorBody.of(error, null).encode())
      .onComplete(ar -> request.connection().close());
  }

  /** A request Netty could not decode: 414 for a long request line, 431 for long headers, else 400; then close. */
  private void invalid(HttpServerRequest req) {
    Conn conn = connections.get(req.connection());
    if (conn != null && conn.refused) {
      req.connection().close(); // bytes behind a refused request: nothing to answer
      return;
    }
    Throwable cause = req.decoderResult().cause();
    ServiceException error;
    if (cause instanceof TooLongHttpLineException) {
      error = new ServiceException(ErrorCode.URI_TOO_LONG, "request line longer than the server accepts",
        new JsonObject());
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = new ServiceException(ErrorCode.HEADERS_TOO_LARGE, "request headers larger than the server accepts",
        new JsonObject());
    } else {
      String why = cause instanceof IllegalArgumentException && cause.getMessage() != null
        && cause.getMessage().length() < 100 ? ": " + cause.getMessage() : "";
      error = new ServiceException(ErrorCode.VALIDATION, "malformed HTTP request" + why);
    }
    reject(req, error);
  }
}
