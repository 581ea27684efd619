package io.mediamesh.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Swagger UI at {@code /docs}, served from the webjar inside the gateway's own jar (no CDN), pointed at the
 * gateway's {@code /openapi.yaml}.
 */
public final class SwaggerUi {

  private SwaggerUi() {
  }

  public static void mount(Router router) {
    String root = "META-INF/resources/webjars/swagger-ui/" + version();
    Buffer initializer = Buffer.buffer("""
      window.onload = function () {
        window.ui = SwaggerUIBundle({
          url: "/openapi.yaml",
          dom_id: "#swagger-ui",
          deepLinking: true,
          presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
          layout: "StandaloneLayout"
        });
      };
      """);
    // Vert.x matches "/docs" for "/docs/" too: only the bare path is redirected
    router.get("/docs").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/docs/");
      }
    });
    router.get("/docs/swagger-initializer.js").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "application/javascript").putHeader("Content-Security-Policy", SecurityHeaders.DOCS_CSP)
      .end(initializer));
    router.get("/docs/*").handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", SecurityHeaders.DOCS_CSP)
        .putHeader("Cache-Control", "public, max-age=3600");
      ctx.next();
    }).handler(StaticHandler.create(root).setIndexPage("index.html"));
  }

  static String version() {
    try (InputStream in = SwaggerUi.class.getClassLoader()
      .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
