package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * The playback service's event-bus API: plans and the rights bought with them, access rules of content, the access
 * check, playback sessions with signed stream URLs, heartbeats and watch progress.
 * <pre>
 * address                                  access          request                                    reply
 * mediamesh.playback.plans.list            anyone          {}                                         {items: [Plan]} (active)
 * mediamesh.playback.plans.all             ADMIN           {}                                         {items: [Plan]}
 * mediamesh.playback.plans.create          ADMIN           PlanFields                                 Plan
 * mediamesh.playback.plans.update          ADMIN           {id, ...PlanFields}                        Plan
 * mediamesh.playback.rights.get            ADMIN, EDITOR   {contentType, id}                          Rights
 * mediamesh.playback.rights.put            ADMIN, EDITOR   {contentType, id, access, availableFrom?, availableUntil?}  Rights
 * mediamesh.playback.grants.create         ADMIN           {userId, type, planId?, contentType?, contentId?, days?}     Right
 * mediamesh.playback.grants.revoke         ADMIN           {userId, id}                               {}
 * mediamesh.playback.entitlements          authenticated   {}                                         Entitlements
 * mediamesh.playback.subscribe             authenticated   {planId}                                   {subscription, order}
 * mediamesh.playback.purchase              authenticated   {contentType, contentId}                   {purchase, order}
 * mediamesh.playback.rent                  authenticated   {contentType, contentId}                   {rental, order}
 * mediamesh.playback.access.check          authenticated   {contentType, contentId}                   Decision
 * mediamesh.playback.play                  authenticated   {contentType, contentId}                   Session ("201")
 * mediamesh.playback.sessions.heartbeat    authenticated   {id, positionSeconds}                      Heartbeat
 * mediamesh.playback.sessions.stop         authenticated   {id, positionSeconds?}                     {}
 * mediamesh.playback.continue-watching     authenticated   {size?}                                    {items: [Progress]}
 * mediamesh.playback.history               authenticated   {page?, size?}                             Page of Progress
 *
 * Plan     = {id, name, description, price, currency, periodDays, packages, maxStreams, maxQuality, evictOldest,
 *             active, createdAt, updatedAt}
 * Rights   = {contentType, contentId, access, availableFrom, availableUntil, inherited: null|PROGRAM|DEFAULT,
 *             updatedBy, updatedAt}; access = {type: FREE} | {type: SUBSCRIPTION, packages} |
 *             {type: TRANSACTIONAL, purchasePrice?, rentalPrice?, currency}
 * Decision = {allowed, reason (null or a {@link Reason}), via (null or a {@link Via}), until (null: no end)}
 * Session  = {sessionId, manifestUrl, expiresAt, heartbeatSeconds, resumePositionSeconds, via, until}
 * </pre>
 * A refusal to play is a 403 whose details carry {@code reason}. contentType is {@code program} or {@code episode}
 * (lower case, as in the public routes). Events on playback.events: playback.session.started|ended,
 * playback.progress, entitlement.granted|revoked, rental.started, order.recorded.
 */
public final class PlaybackApi {
  public static final String SERVICE = "playback";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access EDITORS = Access.roles(Role.ADMIN, Role.EDITOR);
  private static final Access VIEWERS = Access.authenticated();

  public static final Operation<Operation.None> PLANS_LIST = op("plans.list", Access.anyone(), Operation.None::from);
  public static final Operation<Operation.None> PLANS_ALL = op("plans.all", ADMINS, Operation.None::from);
  public static final Operation<PlanWrite> PLANS_CREATE = op("plans.create", ADMINS, b -> PlanWrite.from(b, false));
  public static final Operation<PlanWrite> PLANS_UPDATE = op("plans.update", ADMINS, b -> PlanWrite.from(b, true));
  public static final Operation<ContentKey> RIGHTS_GET = op("rights.get", EDITORS, b -> ContentKey.from(b, "id"));
  public static final Operation<RightsPut> RIGHTS_PUT = op("rights.put", EDITORS, RightsPut::from);
  public static final Operation<GrantCreate> GRANTS_CREATE = op("grants.create", ADMINS, GrantCreate::from);
  public static final Operation<GrantRevoke> GRANTS_REVOKE = op("grants.revoke", ADMINS, GrantRevoke::from);
  public static final Operation<Operation.None> ENTITLEMENTS = op("entitlements", VIEWERS, Operation.None::from);
  public static final Operation<Subscribe> SUBSCRIBE = op("subscribe", VIEWERS, Subscribe::from);
  public static final Operation<ContentKey> PURCHASE = op("purchase", VIEWERS, b -> ContentKey.from(b, "contentId"));
  public static final Operation<ContentKey> RENT = op("rent", VIEWERS, b -> ContentKey.from(b, "contentId"));
  public static final Operation<ContentKey> ACCESS_CHECK = op("access.check", VIEWERS,
    b -> ContentKey.from(b, "contentId"));
  public static final Operation<ContentKey> PLAY = op("play", VIEWERS, b -> ContentKey.from(b, "contentId"));
  public static final Operation<Heartbeat> HEARTBEAT = op("sessions.heartbeat", VIEWERS, b -> Heartbeat.from(b, true));
  public static final Operation<Heartbeat> STOP = op("sessions.stop", VIEWERS, b -> Heartbeat.from(b, false));
  public static final Operation<ContinueWatching> CONTINUE_WATCHING = op("continue-watching", VIEWERS,
    ContinueWatching::from);
  public static final Operation<History> HISTORY = op("history", VIEWERS, History::from);

  private PlaybackApi() {
  }

  private static <Q extends Operation.Request> Operation<Q> op(String name, Access access,
                                                               Function<JsonObject, Q> reader) {
    return Operation.of(SERVICE, name, access, reader);
  }

  /** Why a play (or a heartbeat) is refused: SPEC's reason codes. */
  public enum Reason {
    NOT_ENTITLED, RENTAL_EXPIRED, STREAM_LIMIT, PARENTAL_BLOCK, NOT_AVAILABLE, NOT_PLAYABLE
  }

  /** Which right allowed a play. */
  public enum Via {
    FREE, SUBSCRIPTION, PURCHASE, RENTAL
  }

  public enum AccessType {
    FREE, SUBSCRIPTION, TRANSACTIONAL
  }

  public enum GrantType {
    SUBSCRIPTION, PURCHASE, RENTAL
  }

  /** {@code program} or {@code episode}, as the public routes write it. */
  public static ContentType readContentType(Fields f, String field) {
    String value = f.string(field, true);
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "program" -> ContentType.PROGRAM;
      case "episode" -> ContentType.EPISODE;
      default -> {
        f.problem(field, "must be program or episode");
        yield null;
      }
    };
  }

  /** The public spelling of a content type. */
  public static String name(ContentType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private static String readCurrency(Fields f, String field) {
    String value = f.string(field, false);
    if (value != null && !value.matches("[A-Z]{3}")) {
      f.problem(field, "must be an ISO 4217 code of three capital letters, e.g. USD");
      return null;
    }
    return value;
  }

  private static List<String> readPackages(Fields f, String field, boolean required) {
    Object raw = f.raw(field);
    if (raw == null) {
      if (required) {
        f.problem(field, "is required");
      }
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      f.problem(field, "must be an array of package names");
      return List.of();
    }
    if (array.size() > Limits.PACKAGES_MAX) {
      f.problem(field, "at most " + Limits.PACKAGES_MAX + " packages");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s) || !s.matches("[a-z0-9][a-z0-9_-]{0," + (Limits.PACKAGE_LENGTH_MAX - 1) + "}")) {
        f.problem(field, "each package is 1 to " + Limits.PACKAGE_LENGTH_MAX
          + " lower-case letters, digits, '-' or '_'");
        return List.of();
      }
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** {@code plans.create} and {@code plans.update} (which also names the plan: {@code id}). */
  public record PlanWrite(UUID id, String name, String description, int price, String currency, int periodDays,
                          List<String> packages, int maxStreams, Integer maxQuality, boolean evictOldest,
                          boolean active) implements Operation.Request {
    public static PlanWrite from(JsonObject body, boolean update) {
      Fields f = Fields.of(body);
      UUID id = update ? f.uuid("id", true) : null;
      String name = f.text("name", true, Limits.PLAN_NAME_MAX);
      String description = f.text("description", false, Limits.DESCRIPTION_MAX);
      Integer price = f.requiredInteger("price", 0, Limits.PRICE_MAX);
      String currency = readCurrency(f, "currency");
      Integer period = f.requiredInteger("periodDays", Limits.PERIOD_DAYS_MIN, Limits.PERIOD_DAYS_MAX);
      List<String> packages = readPackages(f, "packages", true);
      Integer maxStreams = f.requiredInteger("maxStreams", Limits.MAX_STREAMS_MIN, Limits.MAX_STREAMS_MAX);
      Integer quality = f.integer("maxQuality", null, Limits.QUALITY_MIN, Limits.QUALITY_MAX);
      Boolean evict = f.bool("evictOldest");
      Boolean active = f.bool("active");
      f.validate();
      return new PlanWrite(id, name, description, price, currency, period, packages, maxStreams, quality,
        Boolean.TRUE.equals(evict), active == null || active);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("name", name).put("price", price).put("periodDays", periodDays)
        .put("packages", new JsonArray(packages)).put("maxStreams", maxStreams).put("evictOldest", evictOldest)
        .put("active", active);
      if (id != null) {
        json.put("id", id.toString());
      }
      if (description != null) {
        json.put("description", description);
      }
      if (currency != null) {
        json.put("currency", currency);
      }
      if (maxQuality != null) {
        json.put("maxQuality", maxQuality);
      }
      return json;
    }
  }

  /** A program or an episode, by its public content type and id (the field holding the id varies by route). */
  public record ContentKey(ContentType type, UUID id, String idField) implements Operation.Request {
    public static ContentKey from(JsonObject body, String idField) {
      Fields f = Fields.of(body);
      ContentType type = readContentType(f, "contentType");
      UUID id = f.uuid(idField, true);
      f.validate();
      return new ContentKey(type, id, idField);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("contentType", name(type)).put(idField, id.toString());
    }
  }

  /**
   * The access of one program or episode: {@code FREE}, {@code SUBSCRIPTION} to any of {@code packages} (none: any
   * subscription), or {@code TRANSACTIONAL} with a purchase and/or a rental price (minor units; the currency is the
   * configured default when absent).
   */
  public record ContentAccess(AccessType type, List<String> packages, Integer purchasePrice, Integer rentalPrice,
                       String currency) {
    public static ContentAccess from(Fields f, String field) {
      Object raw = f.raw(field);
      if (!(raw instanceof JsonObject o)) {
        f.problem(field, raw == null ? "is required" : "must be an object with a type");
        return null;
      }
      Fields a = Fields.of(o);
      AccessType type = a.enumValue("type", AccessType.class, true);
      List<String> packages = type == AccessType.SUBSCRIPTION ? readPackages(a, "packages", false) : List.of();
      Integer purchase = null;
      Integer rental = null;
      String currency = null;
      if (type == AccessType.TRANSACTIONAL) {
        purchase = a.integer("purchasePrice", null, 0, Limits.PRICE_MAX);
        rental = a.integer("rentalPrice", null, 0, Limits.PRICE_MAX);
        currency = readCurrency(a, "currency");
        if (!a.has("purchasePrice") && !a.has("rentalPrice")) {
          a.problem("purchasePrice", "a TRANSACTIONAL access needs a purchasePrice, a rentalPrice or both");
        }
      }
      for (String other : List.of("packages", "purchasePrice", "rentalPrice", "currency")) {
        boolean allowed = other.equals("packages") ? type == AccessType.SUBSCRIPTION
          : type == AccessType.TRANSACTIONAL;
        if (type != null && a.has(other) && !allowed) {
          a.problem(other, "does not belong to a " + type + " access");
        }
      }
      try {
        a.validate();
      } catch (io.mediamesh.common.bus.ServiceException e) {
        JsonObject fields = e.details() == null ? null : e.details().getJsonObject("fields");
        if (fields != null) {
          fields.forEach(entry -> f.problem(field + "." + entry.getKey(), String.valueOf(entry.getValue())));
        } else {
          f.problem(field, e.getMessage());
        }
        return null;
      }
      return new ContentAccess(type, packages, purchase, rental, currency);
    }

    /** Reads a stored or configured access (a 400 naming the field if it is not one). */
    public static ContentAccess fromJson(JsonObject json) {
      Fields f = Fields.of(new JsonObject().put("access", json));
      ContentAccess access = from(f, "access");
      f.validate();
      return access;
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("type", type.name());
      if (type == AccessType.SUBSCRIPTION) {
        json.put("packages", new JsonArray(packages));
      }
      if (type == AccessType.TRANSACTIONAL) {
        json.put("purchasePrice", purchasePrice).put("rentalPrice", rentalPrice).put("currency", currency);
      }
      return json;
    }

    /** The same access with the currency filled in where a price has none. */
    public ContentAccess withCurrency(String fallback) {
      return type == AccessType.TRANSACTIONAL && currency == null
        ? new ContentAccess(type, packages, purchasePrice, rentalPrice, fallback) : this;
    }
  }

  /** {@code rights.put}: the access of a program or an episode and the window in which it plays. */
  public record RightsPut(ContentType type, UUID id, ContentAccess access, OffsetDateTime availableFrom,
                          OffsetDateTime availableUntil) implements Operation.Request {
    public static RightsPut from(JsonObject body) {
      Fields f = Fields.of(body);
      ContentType type = readContentType(f, "contentType");
      UUID id = f.uuid("id", true);
      ContentAccess access = ContentAccess.from(f, "access");
      OffsetDateTime from = f.instant("availableFrom", false);
      OffsetDateTime until = f.instant("availableUntil", false);
      if (from != null && until != null && !until.isAfter(from)) {
        f.problem("availableUntil", "must be after availableFrom");
      }
      f.validate();
      return new RightsPut(type, id, access, from, until);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("contentType", name(type)).put("id", id.toString()).put("access", access.toJson())
        .put("availableFrom", availableFrom == null ? null : availableFrom.toInstant().toString())
        .put("availableUntil", availableUntil == null ? null : availableUntil.toInstant().toString());
    }
  }

  /**
   * {@code grants.create}: an admin gives a user a subscription to {@code planId}, or a purchase or rental of a
   * program or episode, without an order. A granted subscription or rental lasts {@code days} (default: the plan's
   * period; a rental's usual window).
   */
  public record GrantCreate(UUID userId, GrantType type, UUID planId, ContentType contentType, UUID contentId,
                            Integer days) implements Operation.Request {
    public static GrantCreate from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID user = f.uuid("userId", true);
      GrantType type = f.enumValue("type", GrantType.class, true);
      UUID plan = f.uuid("planId", type == GrantType.SUBSCRIPTION);
      ContentType contentType = null;
      UUID contentId = null;
      if (type == GrantType.PURCHASE || type == GrantType.RENTAL) {
        contentType = readContentType(f, "contentType");
        contentId = f.uuid("contentId", true);
      } else if (f.has("contentType") || f.has("contentId")) {
        f.problem("contentType", "a SUBSCRIPTION grant names a planId, not content");
      }
      if (type != GrantType.SUBSCRIPTION && f.has("planId")) {
        f.problem("planId", "only a SUBSCRIPTION grant names a plan");
      }
      Integer days = f.integer("days", null, Limits.GRANT_DAYS_MIN, Limits.GRANT_DAYS_MAX);
      if (type == GrantType.PURCHASE && days != null) {
        f.problem("days", "a purchase does not expire");
      }
      f.validate();
      return new GrantCreate(user, type, plan, contentType, contentId, days);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("userId", userId.toString()).put("type", type.name());
      if (planId != null) {
        json.put("planId", planId.toString());
      }
      if (contentType != null) {
        json.put("contentType", name(contentType)).put("contentId", contentId.toString());
      }
      if (days != null) {
        json.put("days", days);
      }
      return json;
    }
  }

  /** {@code grants.revoke}: ends a user's right (a subscription, purchase or rental) by its id. */
  public record GrantRevoke(UUID userId, UUID id) implements Operation.Request {
    public static GrantRevoke from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID user = f.uuid("userId", true);
      UUID id = f.uuid("id", true);
      f.validate();
      return new GrantRevoke(user, id);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("userId", userId.toString()).put("id", id.toString());
    }
  }

  /** {@code subscribe}: the caller subscribes to a plan (an active subscription to another plan is replaced). */
  public record Subscribe(UUID planId) implements Operation.Request {
    public static Subscribe from(JsonObject body) {
      Fields f = Fields.of(body);
      UUID plan = f.uuid("planId", true);
      f.validate();
      return new Subscribe(plan);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("planId", planId.toString());
    }
  }

  /** {@code sessions.heartbeat} (position required) and {@code sessions.stop} (position optional). */
  public record Heartbeat(UUID id, Integer positionSeconds) implements Operation.Request {
    public static Heartbeat from(JsonObject body, boolean positionRequired) {
      Fields f = Fields.of(body);
      UUID id = f.uuid("id", true);
      Integer position = positionRequired ? f.requiredInteger("positionSeconds", 0, Limits.POSITION_MAX)
        : f.integer("positionSeconds", null, 0, Limits.POSITION_MAX);
      f.validate();
      return new Heartbeat(id, position);
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("id", id.toString());
      return positionSeconds == null ? json : json.put("positionSeconds", positionSeconds);
    }
  }

  /** {@code continue-watching}: the newest unfinished programmes of the caller (at most {@code size}). */
  public record ContinueWatching(int size) implements Operation.Request {
    public static ContinueWatching from(JsonObject body) {
      Fields f = Fields.of(body);
      int size = f.integer("size", 20, 1, Limits.SIZE_MAX);
      f.validate();
      return new ContinueWatching(size);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("size", size);
    }
  }

  /** {@code history}: everything the caller played, newest first, a page. */
  public record History(PageRequest page) implements Operation.Request {
    public static History from(JsonObject body) {
      Fields f = Fields.of(body);
      PageRequest page = PageRequest.unsorted(f);
      f.validate();
      return new History(page);
    }

    @Override
    public JsonObject toJson() {
      return page.into(new JsonObject());
    }
  }
}
