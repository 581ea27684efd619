package io.mediamesh.playback;

import io.mediamesh.common.api.CmsClient;
import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.PlaybackApi.ContentAccess;
import io.mediamesh.common.api.PlaybackApi.ContentKey;
import io.mediamesh.common.api.PlaybackApi.RightsPut;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.playback.persistence.RuleRepository;
import io.mediamesh.playback.persistence.RuleRepository.Rule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The access rules of content, edited by editors: a program's rule, an episode's own rule, or, for an episode
 * without one, its program's; content with neither has the configured default.
 */
final class Rules {

  /** The rule in force for a content and where it comes from (null: its own; PROGRAM; DEFAULT). */
  record Effective(ContentAccess access, Instant availableFrom, Instant availableUntil, String inherited,
                   Rule own) {
  }

  private final Pool pool;
  private final CmsClient cms;
  private final PlaybackConfig config;
  private final Clock clock;
  private final RuleRepository rules = new RuleRepository();

  Rules(Pool pool, BusClient bus, PlaybackConfig config, Clock clock) {
    this.pool = pool;
    this.cms = new CmsClient(bus);
    this.config = config;
    this.clock = clock;
  }

  Future<Effective> effective(SqlClient db, UUID id, UUID programId) {
    UUID[] ids = programId == null ? new UUID[] {id} : new UUID[] {id, programId};
    return rules.of(db, ids).map(found -> effective(found, id, programId));
  }

  private Effective effective(Map<UUID, Rule> found, UUID id, UUID programId) {
    Rule own = found.get(id);
    if (own != null) {
      return new Effective(own.access(), own.availableFrom(), own.availableUntil(), null, own);
    }
    Rule program = programId == null ? null : found.get(programId);
    if (program != null) {
      return new Effective(program.access(), program.availableFrom(), program.availableUntil(), "PROGRAM", null);
    }
    return new Effective(config.defaultAccess(), null, null, "DEFAULT", null);
  }

  Future<JsonObject> get(ContentKey key, Caller caller) {
    return programOf(caller, key.type(), key.id())
      .compose(program -> effective(pool, key.id(), program))
      .map(e -> view(key.type(), key.id(), e));
  }

  Future<JsonObject> put(RightsPut put, Caller caller) {
    RightsPut filled = new RightsPut(put.type(), put.id(), put.access().withCurrency(config.defaultCurrency()),
      put.availableFrom(), put.availableUntil());
    return programOf(caller, put.type(), put.id())
      .compose(program -> rules.put(pool, filled, caller.userId(), Times.now(clock)))
      .map(rule -> view(put.type(), put.id(), new Effective(rule.access(), rule.availableFrom(),
        rule.availableUntil(), null, rule)));
  }

  /** The program an episode belongs to (null for a program), asked of the CMS as the caller: a 404 if absent. */
  private Future<UUID> programOf(Caller caller, ContentType type, UUID id) {
    Future<java.util.Optional<JsonObject>> content = type == ContentType.PROGRAM ? cms.program(caller, id)
      : cms.episode(caller, id);
    return content.map(found -> {
      JsonObject c = found.orElseThrow(() -> ServiceException.notFound(PlaybackApi.name(type) + " " + id));
      return type == ContentType.EPISODE && c.getString("programId") != null
        ? UUID.fromString(c.getString("programId")) : null;
    });
  }

  private static JsonObject view(ContentType type, UUID id, Effective e) {
    return new JsonObject().put("contentType", PlaybackApi.name(type)).put("contentId", id.toString())
      .put("access", e.access().toJson())
      .put("availableFrom", e.availableFrom() == null ? null : e.availableFrom().toString())
      .put("availableUntil", e.availableUntil() == null ? null : e.availableUntil().toString())
      .put("inherited", e.inherited())
      .put("updatedBy", e.own() == null ? null : e.own().updatedBy())
      .put("updatedAt", e.own() == null ? null : e.own().updatedAt().toString());
  }
}
