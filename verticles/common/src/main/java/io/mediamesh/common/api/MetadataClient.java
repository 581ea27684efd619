package io.mediamesh.common.api;

import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * What other services ask the metadata service over the bus, typed. Replies are its JSON (Metadata: see
 * {@link MetadataApi}).
 */
public final class MetadataClient {

  private final BusClient bus;

  public MetadataClient(BusClient bus) {
    this.bus = bus;
  }

  /** The content's metadata, or empty when it has none. */
  public Future<Optional<JsonObject>> byContent(Caller caller, UUID contentId) {
    return ClientCalls.absentIfNotFound(bus.send(MetadataApi.BY_CONTENT, new ByContent(contentId), caller));
  }

  public Future<JsonObject> create(Caller caller, MetadataApi.Create request) {
    return bus.send(MetadataApi.CREATE, request, caller);
  }

  /**
   * Replaces a metadata's fields at its current version ({@code atVersion} makes the request for the version read;
   * one more try when an editor saved in between).
   */
  public Future<JsonObject> update(Caller caller, UUID id, IntFunction<MetadataApi.Update> atVersion) {
    return ClientCalls.atCurrentVersion(bus, caller, MetadataApi.GET, MetadataApi.UPDATE, id, atVersion);
  }

  /**
   * Creates the content's metadata, or replaces its fields when it has some, keeping the genres, credits and age
   * rating editors set where {@code fields} has none; answers the metadata.
   */
  public Future<JsonObject> save(Caller caller, UUID contentId, ContentType contentType,
                                 MetadataApi.Editable fields) {
    return byContent(caller, contentId).compose(found -> {
      if (found.isEmpty()) {
        return create(caller, new MetadataApi.Create(contentId, contentType, fields));
      }
      UUID id = UUID.fromString(found.get().getString("id"));
      MetadataApi.Editable kept = fields.keepingCatalogOf(found.get());
      return update(caller, id, version -> new MetadataApi.Update(id, version, kept));
    });
  }
}
