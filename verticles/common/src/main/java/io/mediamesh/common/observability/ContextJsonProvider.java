package io.mediamesh.common.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

import java.io.IOException;

/**
 * Adds {@code service}, {@code traceId}, {@code spanId} and {@code requestId} of the Vert.x context that logged the
 * line. Appenders must be synchronous (the provider runs on the logging thread).
 */
public class ContextJsonProvider extends AbstractFieldJsonProvider<ILoggingEvent> {

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String service = RequestContext.currentService();
    if (service != null) {
      generator.writeStringField("service", service);
    }
    RequestContext rc = RequestContext.current();
    if (rc != null) {
      generator.writeStringField("traceId", rc.trace().traceId());
      generator.writeStringField("spanId", rc.trace().spanId());
      generator.writeStringField("requestId", rc.requestId());
    }
  }
}
