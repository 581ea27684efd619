package io.mediamesh.common.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's HTTP/1.x request decoder, except that a request carrying both {@code Transfer-Encoding: chunked} and a
 * {@code Content-Length} fails to decode (so {@link HttpEdge} answers 400 and closes) instead of having its
 * {@code Content-Length} silently dropped, which leaves no trace a handler could see. Two parsers that disagree on
 * where a body ends are how requests are smuggled past a proxy.
 * <p>
 * Vert.x 5 has no public option for this, so the decoder is swapped into a new connection's pipeline by name
 * ({@code httpDecoder}, as {@code HttpServerConnectionInitializer} names it) before any byte is read; if the pipeline
 * is not laid out as expected (another Vert.x version), the stock decoder stays and a warning says so once.
 * {@code HttpEdgeTest} fails if the swap stops working.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(StrictRequestDecoder.class);
  private static final String NAME = "httpDecoder";
  private static volatile boolean warned;

  private StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
      "Transfer-Encoding and Content-Length together")));
  }

  /** Swaps the strict decoder into a just-opened HTTP/1.x connection. */
  static void install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      return; // HTTP/2 has no such framing ambiguity
    }
    ChannelPipeline pipeline = base.channel().pipeline();
    ChannelHandler current = pipeline.get(NAME);
    if (current instanceof StrictRequestDecoder) {
      return;
    }
    if (current != null && current.getClass() == VertxHttpRequestDecoder.class) {
      pipeline.replace(NAME, NAME, new StrictRequestDecoder(options));
    } else if (!warned) {
      warned = true;
      LOG.warn("HTTP pipeline without the expected '{}' (found {}): Transfer-Encoding with Content-Length is "
        + "handled by the stock decoder", NAME, current == null ? "nothing" : current.getClass().getName());
    }
  }
}
