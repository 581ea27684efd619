package io.mediamesh.ingest.fetch;

import io.mediamesh.ingest.IngestConfig;
import io.mediamesh.ingest.domain.ImportFailure;
import io.vertx.core.Future;
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

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches a source without letting it reach what it should not (SSRF). Each hop, the first and every redirect:
 * the scheme must be http or https; the host is resolved here (on a worker thread) and the connection goes to an
 * address the {@link AddressPolicy} accepts, given as the server address of the request, so a second DNS answer
 * (rebinding) cannot change where it goes while the Host header and TLS name stay the URL's host. Redirects are
 * followed by hand, at most {@code maxRedirects}; the whole fetch must finish within {@code fetchTimeoutMs}; the body
 * is counted as it streams in and cut off past {@code maxResponseBytes}. Non-blocking otherwise (Vert.x client).
 */
public final class SafeFetcher {

  private final Vertx vertx;
  private final HttpClient client;
  private final AddressPolicy policy;
  private final IngestConfig config;

  public SafeFetcher(Vertx vertx, IngestConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.policy = new AddressPolicy(config.allowedHosts());
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) Math.min(
      config.fetchTimeoutMs(), 10_000)).setDecompressionSupported(false).setVerifyHost(true));
  }

  public Future<Void> close() {
    return client.close();
  }

  /** The body of {@code url} after at most the allowed redirects; fails with an {@link ImportFailure}. */
  public Future<Buffer> fetch(URI url, String accept) {
    Promise<Buffer> result = Promise.promise();
    AtomicReference<HttpClientRequest> current = new AtomicReference<>();
    long timer = vertx.setTimer(config.fetchTimeoutMs(), id -> {
      if (result.tryFail(ImportFailure.transientFailure("fetch timed out after " + config.fetchTimeoutMs() + " ms"))) {
        HttpClientRequest request = current.get();
        if (request != null) {
          request.reset();
        }
      }
    });
    hop(url, 0, accept, current, result);
    return result.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void hop(URI url, int redirects, String accept, AtomicReference<HttpClientRequest> current,
                   Promise<Buffer> result) {
    if (result.future().isComplete()) {
      return;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      result.tryFail(ImportFailure.permanent("refused: only http and https URLs may be fetched, not '" + scheme
        + ":'"));
      return;
    }
    String host = url.getHost() == null ? null : url.getHost().replace("[", "").replace("]", "");
    if (host == null || host.isEmpty() || url.getRawUserInfo() != null) {
      result.tryFail(ImportFailure.permanent("refused: the URL must have a host and no user info"));
      return;
    }
    boolean https = scheme.equals("https");
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    resolve(host)
      .compose(addresses -> policy.choose(host, addresses).map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ImportFailure.permanent("refused: " + host
          + " is a private, loopback or link-local address and not in ingest.allowedHosts"))))
      .compose(address -> client.request(new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
        .setHost(host).setPort(port).setSsl(https)
        .setURI(pathAndQuery(url))
        .setFollowRedirects(false)
        .setIdleTimeout(config.fetchTimeoutMs())
        .putHeader("User-Agent", config.userAgent())
        .putHeader("Accept", accept)))
      .compose(request -> {
        current.set(request);
        return request.send();
      })
      .onFailure(err -> result.tryFail(classify(err, host)))
      .onSuccess(response -> answer(url, redirects, accept, response, current, result));
  }

  private void answer(URI url, int redirects, String accept, HttpClientResponse response,
                      AtomicReference<HttpClientRequest> current, Promise<Buffer> result) {
    int status = response.statusCode();
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
      String location = response.getHeader("Location");
      discard(response);
      if (location == null) {
        result.tryFail(ImportFailure.permanent("source answered a redirect without a Location"));
      } else if (redirects >= config.maxRedirects()) {
        result.tryFail(ImportFailure.permanent("refused: more than " + config.maxRedirects() + " redirects"));
      } else {
        try {
          hop(url.resolve(new URI(location.strip())), redirects + 1, accept, current, result);
        } catch (URISyntaxException | IllegalArgumentException e) {
          result.tryFail(ImportFailure.permanent("source redirected to a malformed URL"));
        }
      }
      return;
    }
    if (status < 200 || status > 299) {
      discard(response);
      boolean passing = status >= 500 || status == 408 || status == 429;
      result.tryFail(new ImportFailure("source answered HTTP " + status, passing));
      return;
    }
    long max = config.maxResponseBytes();
    String length = response.getHeader("Content-Length");
    if (length != null && length.strip().matches("\\d{1,18}") && Long.parseLong(length.strip()) > max) {
      discard(response);
      result.tryFail(tooLarge(max));
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (result.future().isComplete()) {
        return;
      }
      if ((long) body.length() + chunk.length() > max) {
        result.tryFail(tooLarge(max));
        response.request().reset();
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(err -> result.tryFail(ImportFailure.transientFailure("connection to "
      + url.getHost() + " failed while reading the response")));
    response.endHandler(v -> result.tryComplete(body));
  }

  /** Drops a response whose body is not wanted: the stream is reset, and that reset is not an error. */
  private static void discard(HttpClientResponse response) {
    response.exceptionHandler(ignored -> { });
    response.request().reset();
  }

  private Future<List<InetAddress>> resolve(String host) {
    return vertx.executeBlocking(() -> Arrays.asList(InetAddress.getAllByName(host)), false)
      .recover(err -> Future.failedFuture(err instanceof UnknownHostException
        ? ImportFailure.transientFailure("unknown host " + host)
        : ImportFailure.transientFailure("could not resolve " + host)));
  }

  private static ImportFailure tooLarge(long max) {
    return ImportFailure.permanent("refused: the response is larger than " + max + " bytes");
  }

  private static ImportFailure classify(Throwable err, String host) {
    if (err instanceof ImportFailure f) {
      return f;
    }
    // never the raw exception text: it may carry internal addresses
    return ImportFailure.transientFailure("could not fetch from " + host);
  }

  private static String pathAndQuery(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }
}
