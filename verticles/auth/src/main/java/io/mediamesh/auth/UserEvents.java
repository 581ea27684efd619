package io.mediamesh.auth;

import io.mediamesh.auth.domain.User;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.events.EventEnvelope;
import io.mediamesh.common.events.Outbox;
import io.mediamesh.common.events.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/** {@code user.*} events, appended to the outbox in the transaction of the change; never with the password hash. */
final class UserEvents {

  private static final String SOURCE = "auth";

  private UserEvents() {
  }

  static Future<Void> created(SqlConnection tx, User user) {
    return append(tx, "user.created", user, null);
  }

  static Future<Void> updated(SqlConnection tx, User after) {
    return append(tx, "user.updated", after, null);
  }

  static Future<Void> roleChanged(SqlConnection tx, User after, Role previous) {
    return append(tx, "user.role_changed", after, previous);
  }

  private static Future<Void> append(SqlConnection tx, String type, User user, Role previousRole) {
    var data = user.toJson();
    if (previousRole != null) {
      data.put("previousRole", previousRole.name());
    }
    return Outbox.append(tx, Topics.AUTH, EventEnvelope.create(type, SOURCE, user.id().toString(), data));
  }
}
