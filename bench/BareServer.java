import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's yardstick: a bare Vert.x server (one event loop, no router, no checks) answering the bytes of
 * the gateway's cached detail, so wrk's figures against it are the ceiling of this machine under the same load.
 * Run with the platform jar on the class path: {@code java -cp launcher/target/mediamesh.jar bench/BareServer.java
 * <port> <answer.json>}.
 */
public class BareServer {
  public static void main(String[] args) throws Exception {
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
    Vertx.vertx().createHttpServer()
      .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(body))
      .listen(Integer.parseInt(args[0]), "127.0.0.1")
      .onSuccess(s -> System.out.println("listening on " + s.actualPort()))
      .onFailure(err -> {
        err.printStackTrace();
        System.exit(1);
      });
  }
}
