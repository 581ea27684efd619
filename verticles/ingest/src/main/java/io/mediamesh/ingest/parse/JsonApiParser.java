package io.mediamesh.ingest.parse;

import io.mediamesh.common.api.IngestMapping;
import io.mediamesh.ingest.domain.Feed;
import io.mediamesh.ingest.domain.ImportFailure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A JSON document read through the source's mapping: {@code items} points at the array of items, {@code program.*}
 * at the program's fields (from the root), {@code item.*} at each item's fields (from the item). Values are taken
 * leniently where the meaning is plain: ids and numbers as numbers or strings, durations as seconds or
 * "HH:MM:SS", dates as ISO-8601 (instant, offset or date) or epoch seconds, tags as a list or comma-separated.
 */
final class JsonApiParser {

  private JsonApiParser() {
  }

  static Feed parse(byte[] bytes, IngestMapping mapping) {
    Object root;
    try {
      root = Json.decodeValue(Buffer.buffer(bytes));
    } catch (DecodeException e) {
      throw ImportFailure.permanent("the response is not JSON");
    }
    Object items = query(mapping.items(), root);
    if (!(items instanceof JsonArray array)) {
      throw ImportFailure.permanent("mapping.items (" + mapping.items() + ") does not point at an array");
    }
    String title = Text.title(string(query(mapping.program().get("title"), root)));
    if (title == null) {
      throw ImportFailure.permanent("mapping.program.title (" + mapping.program().get("title")
        + ") does not point at a text");
    }
    Feed.Program program = new Feed.Program(title,
      Text.fromHtml(string(query(mapping.program().get("description"), root))),
      string(query(mapping.program().get("language"), root)),
      string(query(mapping.program().get("imageUrl"), root)), null, List.of());
    List<Feed.Item> out = new ArrayList<>();
    for (Object element : array) {
      out.add(item(element, mapping));
    }
    return new Feed(program, out);
  }

  private static Feed.Item item(Object element, IngestMapping mapping) {
    var m = mapping.item();
    return new Feed.Item(Text.line(string(query(m.get("id"), element))),
      Text.title(string(query(m.get("title"), element))),
      Text.fromHtml(string(query(m.get("description"), element))),
      duration(query(m.get("durationSeconds"), element)),
      integer(query(m.get("seasonNumber"), element)),
      integer(query(m.get("episodeNumber"), element)),
      time(query(m.get("publishedAt"), element)),
      string(query(m.get("imageUrl"), element)),
      string(query(m.get("mediaUrl"), element)),
      tags(query(m.get("tags"), element)));
  }

  private static Object query(String pointer, Object from) {
    if (pointer == null || from == null) {
      return null;
    }
    if (!(from instanceof JsonObject) && !(from instanceof JsonArray)) {
      return pointer.isEmpty() ? from : null;
    }
    return JsonPointer.from(pointer).queryJson(from);
  }

  private static String string(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    return null;
  }

  private static Integer integer(Object value) {
    if (value instanceof Number n && n.doubleValue() == Math.floor(n.doubleValue()) && n.doubleValue() >= 0
      && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    return value instanceof String s ? Text.integer(s) : null;
  }

  private static Integer duration(Object value) {
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= Integer.MAX_VALUE) {
      return (int) Math.round(n.doubleValue());
    }
    return value instanceof String s ? Text.durationSeconds(s).stream().boxed().findFirst().orElse(null) : null;
  }

  private static OffsetDateTime time(Object value) {
    if (value instanceof Number n && n.longValue() > 0) {
      return Instant.ofEpochSecond(n.longValue()).atOffset(ZoneOffset.UTC);
    }
    if (!(value instanceof String s) || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.strip()).withOffsetSameInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(s.strip()).atStartOfDay().atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException ignored) {
        return null;
      }
    }
  }

  private static List<String> tags(Object value) {
    Set<String> tags = new LinkedHashSet<>();
    if (value instanceof JsonArray array) {
      array.forEach(t -> RssParser.add(tags, string(t)));
    } else if (value instanceof String s) {
      for (String t : s.split(",")) {
        RssParser.add(tags, t);
      }
    }
    return List.copyOf(tags);
  }
}
