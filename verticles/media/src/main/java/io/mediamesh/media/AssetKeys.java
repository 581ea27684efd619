package io.mediamesh.media;

import io.mediamesh.media.domain.Asset;

import java.util.UUID;

/** Where an asset's objects live in the bucket: every key is derived from the asset's id, never a client's name. */
public final class AssetKeys {

  private static final String TUS_TAIL = "tus-tail-";

  private AssetKeys() {
  }

  /** {@code media/<id>/<suffix>}: everything of one asset under one prefix, so deleting the prefix removes it all. */
  public static String keyFor(UUID assetId, String suffix) {
    return "media/" + assetId + "/" + suffix;
  }

  /**
   * Where a direct upload's client writes: a staging key beside the asset's. What is there is checked, then copied
   * to the asset's own key on {@code complete}, so bytes written after that (the presigned PUT stays valid until it
   * expires) never reach what the asset's URL serves.
   */
  static String stagingKey(UUID assetId) {
    return keyFor(assetId, "staging");
  }

  /**
   * Where a tus upload keeps the bytes that arrived after its {@code parts} full parts: one key per part count, so
   * writing a longer tail never touches the one the stored state still points at.
   */
  public static String tusTailKey(UUID assetId, int parts) {
    return keyFor(assetId, TUS_TAIL + parts);
  }

  /** The prefix of every tus tail of an asset. */
  public static String tusTailPrefix(UUID assetId) {
    return keyFor(assetId, TUS_TAIL);
  }

  /** A key of its own for one completion's checked copy, beside the asset's other keys. */
  static String snapshotKey(Asset a) {
    String key = a.storageKey();
    int dot = key.lastIndexOf('.');
    String ext = dot > key.lastIndexOf('/') ? key.substring(dot) : "";
    return keyFor(a.id(), "original-" + UUID.randomUUID().toString().substring(0, 8) + ext);
  }
}
