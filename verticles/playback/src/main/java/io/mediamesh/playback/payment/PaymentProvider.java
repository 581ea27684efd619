package io.mediamesh.playback.payment;

import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Takes payment for an order. The service records the order and, when the provider says PAID, the right it buys, in
 * one transaction. A real provider (card processor, app store) plugs in behind this interface.
 */
public interface PaymentProvider {

  /** What is being paid for: a subscription to a plan, or a purchase or rental of content. */
  record Order(UUID id, String account, GrantType kind, JsonObject subject, int amount, String currency) {
  }

  /** The provider's answer: PAID or DECLINED, its reference, and a message the caller is shown. */
  record Charge(boolean paid, String reference, String message) {
  }

  String name();

  Future<Charge> charge(Order order);
}
