package io.mediamesh.common.net;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fetches from outside without letting a URL reach what it should not (SSRF). Each hop, the first and every redirect:
 * the scheme must be http or https; the host is resolved here (on a worker thread) and the connection goes to an
 * address the {@link AddressPolicy} accepts, given as the server address of the request, so a second DNS answer
 * (rebinding) cannot change where it goes while the Host header and TLS name stay the URL's host. Redirects are
 * followed by hand, at most {@code maxRedirects}. Fails with a {@link FetchFailure}. Non-blocking otherwise (Vert.x
 * client).
 * <ul>
 *   <li>{@link #fetch}: the whole body in memory, for documents (feeds): it must end within {@code timeoutMs}, and is
 *   counted as it streams in and cut off past {@code maxBytes}.</li>
 *   <li>{@link #stream}: for files too large to hold: the answer (status, headers) with its body as a paused stream
 *   the caller reads, and bounds, itself. It must be answered within {@code timeoutMs}; after that a silence of
 *   {@code timeoutMs} fails the body.</li>
 * </ul>
 */
public final class SafeFetcher {

  private final Vertx vertx;
  private final HttpClient client;
  private final AddressPolicy policy;
  private final FetchConfig config;

  public SafeFetcher(Vertx vertx, FetchConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.policy = new AddressPolicy(config.allowedHosts());
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) Math.min(
      config.timeoutMs(), 10_000)).setDecompressionSupported(false).setVerifyHost(true));
  }

  public Future<Void> close() {
    return client.close();
  }

  /** The body of {@code url} after at most the allowed redirects. */
  public Future<Buffer> fetch(URI url, String accept) {
    Exchange exchange = new Exchange(MultiMap.caseInsensitiveMultiMap().add("Accept", accept));
    Promise<Buffer> result = Promise.promise();
    long timer = vertx.setTimer(config.timeoutMs(), id -> {
      FetchFailure late = timedOut();
      if (result.tryFail(late)) {
        exchange.abort(late);
      }
    });
    exchange.start(url).onFailure(result::tryFail)
      .onSuccess(response -> read(exchange.answeredBy, response, result));
    return result.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /**
   * A successful (2xx) answer of {@code url}, after at most the allowed redirects, sent with {@code headers} (such as
   * {@code Range} and {@code If-Range}) at every hop; its body is paused until the caller reads it, and must be read
   * or {@link Streamed#cancel() cancelled}. Another status fails with {@link FetchFailure#status(int)}; a
   * {@code Content-Length} over {@code maxBytes} is refused before any byte is read.
   */
  public Future<Streamed> stream(URI url, MultiMap headers) {
    Exchange exchange = new Exchange(headers);
    long timer = vertx.setTimer(config.timeoutMs(), id -> exchange.abort(timedOut()));
    return exchange.start(url).onComplete(ar -> vertx.cancelTimer(timer)).compose(response -> {
      if (declaredLength(response) > config.maxBytes()) {
        discard(response);
        return Future.failedFuture(tooLarge());
      }
      return Future.succeededFuture(new Streamed(exchange.answeredBy, response));
    });
  }

  /** A streamed answer: its status and headers, and its body, paused until read. */
  public static final class Streamed {
    private final URI url;
    private final HttpClientResponse response;

    private Streamed(URI url, HttpClientResponse response) {
      this.url = url;
      this.response = response;
    }

    /** The URL that answered (the last hop). */
    public URI url() {
      return url;
    }

    public int status() {
      return response.statusCode();
    }

    public MultiMap headers() {
      return response.headers();
    }

    public String header(String name) {
      return response.getHeader(name);
    }

    /** The body, paused: set its handlers, then resume it (or pipe it). */
    public ReadStream<Buffer> body() {
      return response;
    }

    /** Stops the download: the request is reset, and that reset is not reported as an error of the body. */
    public void cancel() {
      discard(response);
    }

    /** What to report when the body fails while it is read (never the raw error: it may name internal addresses). */
    public FetchFailure broken() {
      return readFailed(url);
    }
  }

  /** One fetch's way through its hops to the answer; runs on one context. */
  private final class Exchange {
    private final MultiMap headers;
    private final Promise<HttpClientResponse> answered = Promise.promise();
    private HttpClientRequest current;
    private URI answeredBy;

    Exchange(MultiMap headers) {
      this.headers = headers;
    }

    Future<HttpClientResponse> start(URI url) {
      hop(url, 0);
      return answered.future();
    }

    /** Ends the exchange with {@code failure} (a timeout), resetting the request in flight. */
    void abort(FetchFailure failure) {
      answered.tryFail(failure);
      if (current != null) {
        current.reset();
      }
    }

    private void hop(URI url, int redirects) {
      if (answered.future().isComplete()) {
        return;
      }
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        answered.tryFail(FetchFailure.permanent("refused: only http and https URLs may be fetched, not '" + scheme
          + ":'"));
        return;
      }
      String host = url.getHost() == null ? null : url.getHost().replace("[", "").replace("]", "");
      if (host == null || host.isEmpty() || url.getRawUserInfo() != null) {
        answered.tryFail(FetchFailure.permanent("refused: the URL must have a host and no user info"));
        return;
      }
      boolean https = scheme.equals("https");
      int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
      RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host).setPort(port).setSsl(https)
        .setURI(pathAndQuery(url))
        .setFollowRedirects(false)
        .setIdleTimeout(config.timeoutMs())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(headers))
        .putHeader("User-Agent", config.userAgent());
      resolve(host)
        .compose(addresses -> policy.choose(host, addresses).map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(FetchFailure.permanent("refused: " + host
            + " is a private, loopback or link-local address and not in " + config.allowedHostsKey()))))
        .compose(address -> client.request(options.setServer(SocketAddress.inetSocketAddress(port,
          address.getHostAddress()))))
        .compose(request -> {
          current = request;
          // paused in the turn the answer arrives (listeners further down may run a turn later, after body chunks)
          return request.send().andThen(ar -> {
            if (ar.succeeded()) {
              ar.result().pause();
            }
          });
        })
        .onFailure(err -> answered.tryFail(classify(err, host)))
        .onSuccess(response -> answer(url, redirects, response));
    }

    private void answer(URI url, int redirects, HttpClientResponse response) {
      if (answered.future().isComplete()) {
        discard(response);
        return;
      }
      int status = response.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String location = response.getHeader("Location");
        discard(response);
        if (location == null) {
          answered.tryFail(FetchFailure.permanent("source answered a redirect without a Location"));
        } else if (redirects >= config.maxRedirects()) {
          answered.tryFail(FetchFailure.permanent("refused: more than " + config.maxRedirects() + " redirects"));
        } else {
          try {
            hop(url.resolve(new URI(location.strip())), redirects + 1);
          } catch (URISyntaxException | IllegalArgumentException e) {
            answered.tryFail(FetchFailure.permanent("source redirected to a malformed URL"));
          }
        }
        return;
      }
      if (status < 200 || status > 299) {
        discard(response);
        answered.tryFail(FetchFailure.status(status));
        return;
      }
      answeredBy = url;
      answered.tryComplete(response);
    }
  }

  /** Reads a whole body, counted as it arrives and cut off past {@code maxBytes}. */
  private void read(URI url, HttpClientResponse response, Promise<Buffer> result) {
    long max = config.maxBytes();
    if (declaredLength(response) > max) {
      discard(response);
      result.tryFail(tooLarge());
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (result.future().isComplete()) {
        return;
      }
      if ((long) body.length() + chunk.length() > max) {
        result.tryFail(tooLarge());
        response.request().reset();
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(err -> result.tryFail(readFailed(url)));
    response.endHandler(v -> result.tryComplete(body));
    response.resume();
  }

  /** The {@code Content-Length} a response declares, or -1. */
  private static long declaredLength(HttpClientResponse response) {
    String length = response.getHeader("Content-Length");
    return length != null && length.strip().matches("\\d{1,18}") ? Long.parseLong(length.strip()) : -1;
  }

  /** Drops a response whose body is not wanted: the stream is reset, and that reset is not an error. */
  private static void discard(HttpClientResponse response) {
    try {
      response.exceptionHandler(ignored -> { });
    } catch (IllegalStateException ended) {
      // the whole response has arrived already: nothing to silence
    }
    response.request().reset();
  }

  private Future<List<InetAddress>> resolve(String host) {
    return vertx.executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false)
      .recover(err -> Future.failedFuture(err instanceof UnknownHostException
        ? FetchFailure.transientFailure("unknown host " + host)
        : FetchFailure.transientFailure("could not resolve " + host)));
  }

  private FetchFailure timedOut() {
    return FetchFailure.transientFailure("fetch timed out after " + config.timeoutMs() + " ms");
  }

  private FetchFailure tooLarge() {
    return FetchFailure.permanent("refused: the response is larger than " + config.maxBytes() + " bytes");
  }

  private static FetchFailure readFailed(URI url) {
    return FetchFailure.transientFailure("connection to " + url.getHost() + " failed while reading the response");
  }

  private static FetchFailure classify(Throwable err, String host) {
    if (err instanceof FetchFailure f) {
      return f;
    }
    // never the raw exception text: it may carry internal addresses
    return FetchFailure.transientFailure("could not fetch from " + host);
  }

  private static String pathAndQuery(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }
}
