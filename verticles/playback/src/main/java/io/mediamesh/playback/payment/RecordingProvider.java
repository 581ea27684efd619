package io.mediamesh.playback.payment;

import io.vertx.core.Future;

/**
 * The built-in provider: it takes no money. Every order is recorded as PAID with a reference of its own, and the
 * answer says so, so nobody mistakes a development platform's "purchase" for a real one.
 */
public final class RecordingProvider implements PaymentProvider {

  public static final String NAME = "built-in";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Charge> charge(Order order) {
    return Future.succeededFuture(new Charge(true, "builtin-" + order.id(),
      "Recorded by the built-in payment provider: no payment was taken. Configure a real provider to charge."));
  }

  @Override
  public Future<Void> refund(Order order, Charge charge) {
    return Future.succeededFuture(); // nothing was taken
  }
}
