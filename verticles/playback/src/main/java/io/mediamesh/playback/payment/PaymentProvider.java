package io.mediamesh.playback.payment;

import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * Takes payment for an order. The service records the order as PENDING first, then charges, then settles it and
 * writes the right it buys in one transaction (refunding the charge if that fails). A real provider (card processor,
 * app store) plugs in behind this interface.
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

  /** Gives back a charge whose order bought nothing (the right could not be written after the charge). */
  Future<Void> refund(Order order, Charge charge);
}
