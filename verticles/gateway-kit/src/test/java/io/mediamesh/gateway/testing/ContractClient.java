package io.mediamesh.gateway.testing;

import io.mediamesh.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A blocking HTTP client for end-to-end tests of a gateway that checks every answer against the gateway's OpenAPI
 * contract (status declared for the operation, headers and body matching the schema). A mismatch fails the test.
 */
public final class ContractClient {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final List<String> checked = java.util.Collections.synchronizedList(new ArrayList<>());

  private ContractClient(String base, OpenAPIContract contract, ResponseValidator validator) {
    this.base = base;
    this.contract = contract;
    this.validator = validator;
  }

  /** {@code contractFile} is a path to {@code openapi/*.yaml} in the repository. */
  public static ContractClient create(Vertx vertx, String base, Path contractFile) {
    OpenAPIContract contract = Await.result(OpenAPIContract.from(vertx, contractFile.toAbsolutePath().toString()));
    return new ContractClient(base, contract, ResponseValidator.create(vertx, contract));
  }

  /** The repository's {@code openapi/} directory, found from the module's working directory. */
  public static Path contract(String name) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("openapi"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no openapi/ directory above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("openapi").resolve(name);
  }

  public record Reply(int status, Map<String, String> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String header(String name) {
      return headers.get(name.toLowerCase());
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }
  }

  public Reply get(String path, String token) {
    return send("GET", path, token, null, Map.of());
  }

  public Reply post(String path, String token, JsonObject body) {
    return send("POST", path, token, body == null ? null : body.encode(), Map.of());
  }

  public Reply put(String path, String token, JsonObject body, Map<String, String> headers) {
    return send("PUT", path, token, body.encode(), headers);
  }

  public Reply send(String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      Reply reply = reply(r);
      check(method, path, reply);
      return reply;
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Reply reply(HttpResponse<String> r) {
    Map<String, String> headers = new HashMap<>();
    r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
    return new Reply(r.statusCode(), headers, r.body());
  }

  /** Validates an answer against the operation the contract routes {@code method path} to. */
  public void check(String method, String path, Reply reply) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    Operation op = contract.findOperation(bare, HttpMethod.valueOf(method));
    if (op == null) {
      if (reply.status() == 404 || reply.status() == 405 || reply.status() == 400) {
        return; // a path the contract does not have: the gateway's 404/405 is the point of such a request
      }
      throw new AssertionError(method + " " + bare + " is not in the contract but answered " + reply.status());
    }
    if (reply.status() == 304) {
      return;
    }
    String type = reply.header("content-type");
    if (type != null && !type.startsWith("application/json")) {
      // documents (the contract, metrics) are not JSON: the status must still be one the operation declares
      if (op.getResponse(reply.status()) == null && op.getDefaultResponse() == null) {
        throw new AssertionError(method + " " + path + " → " + reply.status() + " is not declared by "
          + op.getOperationId());
      }
      checked.add(op.getOperationId() + " " + reply.status());
      return;
    }
    Buffer body = reply.body() == null || reply.body().isEmpty() ? null : Buffer.buffer(reply.body());
    Map<String, String> headers = new HashMap<>(reply.headers());
    // vertx-openapi decodes a simple-style string header that starts with a quote as JSON, and the IETF RateLimit
    // fields do ("login-ip";q=5;w=60): checked here as the strings the contract declares, then left out of its check
    for (String field : List.of("ratelimit", "ratelimit-policy")) {
      String value = headers.remove(field);
      if (value != null && !value.matches("(\"[a-z-]+\";[a-z]=\\d+;[a-z]=\\d+)(, \"[a-z-]+\";[a-z]=\\d+;[a-z]=\\d+)*")) {
        throw new AssertionError(method + " " + path + ": malformed " + field + ": " + value);
      }
    }
    ValidatableResponse response = body == null
      ? ValidatableResponse.create(reply.status(), headers)
      : ValidatableResponse.create(reply.status(), headers, body, type == null ? null : type.split(";")[0].trim());
    try {
      Await.result(validator.validate(response, op.getOperationId()));
    } catch (RuntimeException e) {
      throw new AssertionError(method + " " + path + " → " + reply.status() + " does not match the contract ("
        + op.getOperationId() + "): " + e.getMessage() + "\nbody: " + reply.body(), e);
    }
    checked.add(op.getOperationId() + " " + reply.status());
  }

  public OpenAPIContract contract() {
    return contract;
  }

  /** Operation and status pairs validated so far. */
  public List<String> checked() {
    return checked;
  }
}
