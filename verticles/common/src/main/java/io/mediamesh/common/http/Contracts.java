package io.mediamesh.common.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves a contract file that the build copied from {@code openapi/} or {@code graphql/} onto the classpath. */
public final class Contracts {

  private Contracts() {
  }

  public static Buffer load(String resource) {
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("contract " + resource + " is not on the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Handler<RoutingContext> serve(String resource, String contentType) {
    Buffer body = load(resource);
    return ctx -> ctx.response().putHeader("Content-Type", contentType).end(body);
  }
}
