package io.mediamesh.media;

import io.mediamesh.media.domain.Asset;
import io.mediamesh.media.domain.AssetStatus;
import io.mediamesh.media.domain.Kind;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AssetKeysTest {

  private static Asset stored(UUID id, String key) {
    OffsetDateTime t = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    return new Asset(id, UUID.randomUUID(), "PROGRAM", Kind.IMAGE, "b", key, null, null, null, null, null, null,
      AssetStatus.PENDING, null, null, "image/png", 10L, 1, t, t);
  }

  @Test
  void everyKeyOfAnAssetIsUnderItsOwnPrefix() {
    UUID id = UUID.randomUUID();
    assertThat(AssetKeys.keyFor(id, "original")).isEqualTo("media/" + id + "/original");
    assertThat(AssetKeys.stagingKey(id)).isEqualTo("media/" + id + "/staging");
    String snapshot = AssetKeys.snapshotKey(stored(id, AssetKeys.keyFor(id, "original.png")));
    assertThat(snapshot).startsWith("media/" + id + "/original-").endsWith(".png");
    assertThat(snapshot).isNotEqualTo(AssetKeys.snapshotKey(stored(id, AssetKeys.keyFor(id, "original.png"))));
    // a dot in a directory is not an extension
    assertThat(AssetKeys.snapshotKey(stored(id, "media.v2/" + id + "/original")))
      .matches("media/" + id + "/original-[0-9a-f]{8}");
  }
}
