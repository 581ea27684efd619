package io.mediamesh.common.events;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventEnvelopeTest {

  private final JsonObject program = new JsonObject().put("id", "p1").put("title", "Night Shift").put("version", 3);

  @Test
  void roundTripsThroughJsonWithEveryField() {
    EventEnvelope event = EventEnvelope.create("content.published", "cms", "p1", program);
    EventEnvelope back = EventEnvelope.decode(event.encode());
    assertThat(back).isEqualTo(event);
    JsonObject json = event.toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("id", "type", "schemaVersion", "source", "time",
      "subject", "traceparent", "data");
    assertThat(json.getInteger("schemaVersion")).isEqualTo(1);
    assertThat(json.getString("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(json.getJsonObject("data").getInteger("version")).isEqualTo(3);
  }

  @Test
  void eachEventHasItsOwnId() {
    assertThat(EventEnvelope.create("content.created", "cms", "p1", program).id())
      .isNotEqualTo(EventEnvelope.create("content.created", "cms", "p1", program).id());
  }

  @Test
  void decodingRejectsMalformedEventsNamingTheProblem() {
    JsonObject good = EventEnvelope.create("content.created", "cms", "p1", program).toJson();
    assertThatThrownBy(() -> EventEnvelope.decode(Buffer.buffer("not json")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON");
    assertThatThrownBy(() -> EventEnvelope.fromJson(good.copy().put("id", "nope")))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventEnvelope.fromJson(good.copy().put("type", "Created!")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> EventEnvelope.fromJson(withoutField(good, "subject")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
    assertThatThrownBy(() -> EventEnvelope.fromJson(withoutField(good, "data")))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
    assertThatThrownBy(() -> EventEnvelope.fromJson(good.copy().put("time", "yesterday")))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventEnvelope.fromJson(good.copy().put("schemaVersion", 0)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schemaVersion");
  }

  @Test
  void idIsAUuid() {
    assertThat(UUID.fromString(EventEnvelope.create("user.created", "auth", "u1", new JsonObject()).id().toString()))
      .isNotNull();
  }

  private static JsonObject withoutField(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }
}
