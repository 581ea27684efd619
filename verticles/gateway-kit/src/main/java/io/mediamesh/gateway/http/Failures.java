package io.mediamesh.gateway.http;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.http.EdgeHandlers;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateways' one failure handler: every failure becomes the contract's error shape. Contract validation
 * failures are 400s naming the field (in the message and in {@code details.fields}); 429 and 503 carry
 * {@code Retry-After} from the failure's {@code details.retryAfterSeconds}; nothing internal is shown.
 */
public final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
  private static final Pattern PARAMETER = Pattern.compile("(path|query|header|cookie) parameter (\\S+)");
  private static final Pattern REQUIRED = Pattern.compile("required property ['\"]?([^'\" ]+)['\"]?");

  private Failures() {
  }

  public static Handler<RoutingContext> handler() {
    return ctx -> {
      ServiceException error = toServiceException(ctx);
      if (error.code() == ErrorCode.INTERNAL && ctx.failure() != null) {
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      }
      JsonObject details = error.details();
      if (details != null && details.getValue("retryAfterSeconds") instanceof Number n
        && !ctx.response().headWritten()) {
        ctx.response().putHeader("Retry-After", String.valueOf(n.longValue()));
      }
      EdgeHandlers.respond(ctx, error);
    };
  }

  static ServiceException toServiceException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException he && he.getCause() instanceof ValidatorException ve) {
      failure = ve;
    }
    if (failure instanceof ValidatorException ve) {
      return validation(ve);
    }
    if (failure instanceof HttpException he) {
      return EdgeHandlers.ofStatus(he.getStatusCode(), ctx);
    }
    if (failure != null && !(failure instanceof ServiceException) && ctx.statusCode() >= 400
      && ctx.statusCode() < 500) {
      return EdgeHandlers.ofStatus(ctx.statusCode(), ctx); // ctx.fail(status, error) from a Vert.x handler
    }
    if (failure != null) {
      return ServiceException.from(failure);
    }
    return EdgeHandlers.ofStatus(ctx.statusCode(), ctx);
  }

  /** A 400 naming the field at fault: the parameter, or the body property (JSON pointer without the slash). */
  static ServiceException validation(ValidatorException e) {
    String field = "body";
    String reason = e.getMessage();
    Matcher parameter = PARAMETER.matcher(e.getMessage());
    if (e instanceof SchemaValidationException se && se.getOutputUnit() != null) {
      OutputUnit unit = mostRelevant(se.getOutputUnit());
      reason = unit.getError() == null ? reason : unit.getError();
      String location = unit.getInstanceLocation();
      Matcher required = REQUIRED.matcher(reason == null ? "" : reason);
      if (parameter.find()) {
        field = parameter.group(2);
      } else if (required.find()) {
        field = pointer(location, required.group(1));
      } else if (location != null && location.length() > 1) {
        field = pointer(location, null);
      }
    } else if (parameter.find()) {
      field = parameter.group(2);
    }
    String problem = reason == null ? "is invalid" : reason;
    return new ServiceException(ErrorCode.VALIDATION, field + ": " + problem,
      new JsonObject().put("fields", new JsonObject().put(field, problem)));
  }

  private static OutputUnit mostRelevant(OutputUnit unit) {
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      return unit;
    }
    return mostRelevant(errors.get(errors.size() - 1));
  }

  private static String pointer(String location, String child) {
    String base = location == null ? "" : location.replaceFirst("^#?/?", "").replace('/', '.');
    if (child == null) {
      return base.isEmpty() ? "body" : base;
    }
    return base.isEmpty() ? child : base + "." + child;
  }
}
