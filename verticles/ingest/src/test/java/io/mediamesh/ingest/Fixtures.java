package io.mediamesh.ingest;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;

/** The fixture feeds under {@code src/test/resources/feeds}, and the mapping of the JSON catalogue. */
public final class Fixtures {

  /** How {@code catalogue.json} maps: items under /data/lessons, fields renamed, a default category. */
  public static final JsonObject CATALOGUE_MAPPING = new JsonObject()
    .put("items", "/data/lessons")
    .put("program", new JsonObject().put("title", "/show/name").put("description", "/show/summary")
      .put("language", "/show/locale").put("imageUrl", "/show/artwork"))
    .put("item", new JsonObject().put("id", "/uid").put("title", "/headline").put("description", "/body")
      .put("durationSeconds", "/length").put("seasonNumber", "/unit").put("episodeNumber", "/number")
      .put("publishedAt", "/released").put("tags", "/tags").put("mediaUrl", "/video/src")
      .put("imageUrl", "/video/poster"))
    .put("defaults", new JsonObject().put("category", "EDUCATIONAL"));

  private Fixtures() {
  }

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/feeds/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
