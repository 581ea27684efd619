package io.mediamesh.media;

import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.mediamesh.media.domain.Asset;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** {@code media.*} events, appended to the outbox in the transaction that changes the asset. */
final class AssetEvents {

  static final String SOURCE = "media";

  private AssetEvents() {
  }

  /** An event of {@code type} keyed by the asset's id, carrying its snapshot. */
  static Future<Void> emit(SqlConnection tx, String type, Asset a) {
    return Outbox.append(tx, Topics.MEDIA, EventEnvelope.create(type, SOURCE, a.id().toString(), a.toJson()));
  }
}
