package io.mediamesh.media;

import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.persistence.AssetRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code get} and {@code by-content}: assets as clients see them; one being deleted is already gone. */
final class AssetReads {

  private final Pool pool;
  private final AssetViews views;
  private final AssetRepository assets = new AssetRepository();

  AssetReads(Pool pool, AssetViews views) {
    this.pool = pool;
    this.views = views;
  }

  Future<JsonObject> get(UUID id) {
    return assets.byId(pool, id, false).compose(found -> {
      Asset a = found.filter(x -> x.status() != AssetStatus.DELETING)
        .orElseThrow(() -> ServiceException.notFound("media"));
      return views.withThumbnail(a);
    });
  }

  /** The originals of one program or episode, each with its thumbnail's URL. */
  Future<JsonObject> byContent(UUID contentId) {
    return assets.byContent(pool, contentId).compose(list -> {
      List<Future<JsonObject>> items = new ArrayList<>();
      for (Asset a : list) {
        items.add(views.withThumbnail(a));
      }
      return Future.all(items).map(all -> new JsonObject().put("items", new JsonArray(all.list())));
    });
  }
}
