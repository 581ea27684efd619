package io.mediamesh.gateway.resilience;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.gateway.GatewayConfig.BreakerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * One downstream service behind its own circuit breaker. Calls time out after {@code timeoutMs}; replies that are
 * the caller's fault (4xx) pass through without counting as failures; after {@code maxFailures} failures the
 * breaker opens and calls fail at once with a 503 carrying {@code Retry-After} (the reset timeout) until a trial
 * call succeeds. Only idempotent calls are retried, with exponential backoff and full jitter.
 * Breaker state is exported as {@code mediamesh_gateway_breaker_state{service}} (0 closed, 1 half-open, 2 open).
 */
public final class Downstream {

  private final String service;
  private final BusClient bus;
  private final CircuitBreaker breaker;
  private final BreakerSettings settings;
  private final Counter rejected;
  private final Vertx vertx;
  private final RetryPolicy backoff;

  public Downstream(Vertx vertx, String gateway, String service, BusClient bus, BreakerSettings settings,
                    MeterRegistry registry) {
    this.service = service;
    this.bus = bus;
    this.settings = settings;
    this.vertx = vertx;
    this.backoff = RetryPolicy.exponentialDelayWithJitter(settings.retryBaseMs(), settings.retryMaxMs());
    CircuitBreakerOptions options = new CircuitBreakerOptions().setTimeout(settings.timeoutMs())
      .setMaxFailures(settings.maxFailures()).setResetTimeout(settings.resetTimeoutMs())
      .setFallbackOnFailure(false).setNotificationAddress(null);
    this.breaker = CircuitBreaker.create(gateway + "." + service, vertx, options)
      .failurePolicy(outcome -> countsAsFailure(outcome));
    this.rejected = Counter.builder("mediamesh_gateway_breaker_rejected")
      .description("calls refused at once because the breaker was open").tag("gateway", gateway)
      .tag("service", service).register(registry);
    Gauge.builder("mediamesh_gateway_breaker_state", breaker, b -> stateValue(b.state()))
      .description("0 closed, 1 half-open, 2 open").tag("gateway", gateway).tag("service", service)
      .register(registry);
    Gauge.builder("mediamesh_gateway_breaker_failures", breaker, CircuitBreaker::failureCount)
      .description("failures counted towards opening").tag("gateway", gateway).tag("service", service)
      .register(registry);
  }

  public String service() {
    return service;
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  public boolean open() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }

  /** A bus request through the breaker; {@code idempotent} calls are retried on 5xx with jittered backoff. */
  public <T> Future<T> request(String address, Object body, Caller caller, boolean idempotent) {
    return execute(() -> bus.<T>request(address, body, caller, settings.timeoutMs()), idempotent);
  }

  /** As {@link #request(String, Object, Caller, boolean)}, to one of this downstream's typed operations. */
  public <T> Future<T> request(Operation<?> operation, Object body, Caller caller, boolean idempotent) {
    return request(operation.address(), body, caller, idempotent);
  }

  /** Any call through the breaker (e.g. an HTTP stream to the service); never retried when not idempotent. */
  public <T> Future<T> execute(Supplier<Future<T>> call, boolean idempotent) {
    if (open()) {
      rejected.increment();
      return Future.failedFuture(unavailable());
    }
    Future<T> first = breaker.execute(call);
    if (!idempotent || settings.maxRetries() == 0) {
      return first.recover(this::translate);
    }
    return retry(first, call, 1).recover(this::translate);
  }

  private <T> Future<T> retry(Future<T> attempt, Supplier<Future<T>> call, int n) {
    return attempt.recover(err -> {
      if (n > settings.maxRetries() || !countsAsFailure(err) || open()) {
        return Future.failedFuture(err);
      }
      long delay = backoff.delay(err, n);
      return vertxTimer(delay).compose(v -> retry(breaker.execute(call), call, n + 1));
    });
  }

  private Future<Void> vertxTimer(long delayMs) {
    return vertx.timer(Math.max(1, delayMs)).mapEmpty();
  }

  private <T> Future<T> translate(Throwable err) {
    if (err instanceof OpenCircuitException) {
      rejected.increment();
      return Future.failedFuture(unavailable());
    }
    if (err instanceof TimeoutException) {
      return Future.failedFuture(new ServiceException(ErrorCode.TIMEOUT, service + " did not answer in time"));
    }
    return Future.failedFuture(ServiceException.from(err));
  }

  /** A fast 503 naming the service, with the seconds after which the breaker tries again. */
  public ServiceException unavailable() {
    long seconds = Math.max(1, (settings.resetTimeoutMs() + 999) / 1000);
    return new ServiceException(ErrorCode.UNAVAILABLE, service + " is unavailable; try again later",
      new JsonObject().put("service", service).put("retryAfterSeconds", seconds));
  }

  /** The caller's mistakes (4xx) are answers, not failures of the service. */
  static boolean countsAsFailure(Future<?> outcome) {
    return outcome.failed() && countsAsFailure(outcome.cause());
  }

  static boolean countsAsFailure(Throwable err) {
    ServiceException se = err instanceof ServiceException s ? s : null;
    return se == null || !se.code().isClientError();
  }

  private static int stateValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }
}
