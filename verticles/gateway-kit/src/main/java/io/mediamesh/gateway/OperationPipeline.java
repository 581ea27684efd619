package io.mediamesh.gateway;

import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.gateway.http.BodyReader;
import io.mediamesh.gateway.http.ClientAddress;
import io.mediamesh.gateway.ratelimit.Decision;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks every contract operation runs before its handler, in this order:
 * <ol>
 *   <li>the caller: a Bearer token verified with the kernel's {@code TokenVerifier} (an invalid token is a 401
 *   even where anonymous callers are allowed), else anonymous;</li>
 *   <li>the operation's {@code x-roles}, checked with the kernel's {@link Access}: 401 without a valid token, 403
 *   without the role, before any body is read or any downstream called;</li>
 *   <li>the operation's {@code x-rate-limit} class ({@link RatePolicies});</li>
 *   <li>the body, read with the size limit (413), then the whole request validated against the contract (400
 *   naming the field);</li>
 *   <li>the handler, whose {@link Reply} is written with conditional-GET support ({@code If-None-Match} → 304).</li>
 * </ol>
 * A streamed operation stops after the rate limit and hands the unread request to its handler.
 */
final class OperationPipeline {

  private final Supplier<TokenVerifier> tokens;
  private final RatePolicies ratePolicies;
  private final ClientAddress clientAddress;
  private final RequestValidator validator;
  private final long maxBodyBytes;

  /** {@code tokens} is asked on the first token seen (the verifier starts listening for revocations then). */
  OperationPipeline(Supplier<TokenVerifier> tokens, RatePolicies ratePolicies, ClientAddress clientAddress,
                    RequestValidator validator, long maxBodyBytes) {
    this.tokens = tokens;
    this.ratePolicies = ratePolicies;
    this.clientAddress = clientAddress;
    this.validator = validator;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The route of an operation answered by {@code handler}; with a {@code fastPath}, a probe of answers for the value
   * of path parameter {@code param} asked after the caller, roles and rate limit, before the body and validation.
   */
  Handler<RoutingContext> operation(Operation op, OperationPolicy policy, OperationHandler handler,
                                    FastPath fastPath, String param) {
    return ctx -> {
      String ip = clientAddress.of(ctx.request());
      List<Decision> decisions = new ArrayList<>(2);
      ctx.put(RatePolicies.DECISIONS, decisions);
      admit(ctx, policy, ip, decisions)
        .compose(caller -> {
          Reply fast = fastPath == null ? null : fastPath.probe(ctx.pathParam(param), caller);
          if (fast != null) {
            return Future.succeededFuture(fast);
          }
          return readAndValidate(ctx, op).compose(validated -> {
            GatewayRequest request = new GatewayRequest(ctx, caller, ip, validated);
            return ratePolicies.afterBody(policy.rateLimit(), request, decisions, ctx.response())
              .compose(x -> handler.handle(request));
          });
        })
        .onSuccess(reply -> ReplyWriter.write(ctx, reply))
        .onFailure(ctx::fail);
    };
  }

  /** The route of an operation whose body streams to its handler unread (the checks before the body apply). */
  Handler<RoutingContext> stream(OperationPolicy policy, StreamHandler handler) {
    return ctx -> admit(ctx, policy, clientAddress.of(ctx.request()), new ArrayList<>(1))
      .onSuccess(caller -> handler.handle(ctx, caller))
      .onFailure(ctx::fail);
  }

  /** The checks before the body: the request is paused, the caller verified, the roles and rate limit applied. */
  private Future<Caller> admit(RoutingContext ctx, OperationPolicy policy, String ip, List<Decision> decisions) {
    ctx.request().pause();
    return authorize(ctx, policy).compose(caller -> ratePolicies.beforeBody(policy.rateLimit(), caller, ip, decisions,
      ctx.response()).map(caller));
  }

  private Future<Caller> authorize(RoutingContext ctx, OperationPolicy policy) {
    String authorization = ctx.request().getHeader("Authorization");
    Future<Caller> caller = authorization == null
      ? Future.succeededFuture(Caller.anonymous())
      : tokens.get().verifyBearer(authorization);
    return caller.map(c -> {
      policy.access().check(c);
      return c;
    });
  }

  private Future<ValidatedRequest> readAndValidate(RoutingContext ctx, Operation op) {
    boolean hasBody = op.getRequestBody() != null || ctx.request().method() == HttpMethod.POST
      || ctx.request().method() == HttpMethod.PUT || ctx.request().method() == HttpMethod.PATCH;
    Future<Buffer> body = hasBody ? BodyReader.read(ctx.request(), maxBodyBytes)
      : Future.succeededFuture(Buffer.buffer());
    return body.compose(b -> RequestUtils.extract(ctx.request(), op, () -> Future.succeededFuture(b)))
      .compose(req -> validator.validate(req, op.getOperationId()));
  }
}
