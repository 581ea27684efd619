package io.mediamesh.playback;

import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;

/** The playback service's events, written through the outbox in the transaction of the change they report. */
final class PlaybackEvents {

  static final String SOURCE = "playback";
  static final String SESSION_STARTED = "playback.session.started";
  static final String SESSION_ENDED = "playback.session.ended";
  static final String PROGRESS = "playback.progress";
  static final String GRANTED = "entitlement.granted";
  static final String REVOKED = "entitlement.revoked";
  static final String RENTAL_STARTED = "rental.started";
  static final String RENTAL_EXPIRED = "rental.expired";
  static final String ORDER_RECORDED = "order.recorded";

  private PlaybackEvents() {
  }

  /** An event about an account (its key, so an account's events stay in order). */
  static Future<Void> append(SqlClient tx, String type, String account, JsonObject data) {
    return Outbox.append(tx, Topics.PLAYBACK, EventEnvelope.create(type, SOURCE, account,
      data.copy().put("accountId", account)));
  }
}
