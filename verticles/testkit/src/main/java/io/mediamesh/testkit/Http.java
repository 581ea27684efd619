package io.mediamesh.testkit;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain blocking HTTP for tests that talk to servers in other processes. */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {
  }

  public record Reply(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** GET, or a reply with status -1 when the connection failed (server not up yet). */
  public static Reply get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)));
  }

  /** GET as an operator ({@link TestInfra#OPS_TOKEN}): {@code /metrics} and the details of {@code /ready}. */
  public static Reply ops(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TestInfra.OPS_TOKEN));
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Reply(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
