package io.mediamesh.playback;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.PlaybackApi.ContentAccess;
import io.mediamesh.common.api.PlaybackApi.ContentKey;
import io.mediamesh.common.api.PlaybackApi.GrantCreate;
import io.mediamesh.common.api.PlaybackApi.GrantRevoke;
import io.mediamesh.common.api.PlaybackApi.GrantType;
import io.mediamesh.common.api.PlaybackApi.PlanWrite;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.db.Times;
import io.mediamesh.playback.domain.Right;
import io.mediamesh.playback.payment.PaymentProvider;
import io.mediamesh.playback.persistence.Catalog;
import io.mediamesh.playback.persistence.PlanRepository;
import io.mediamesh.playback.persistence.PlanRepository.Plan;
import io.mediamesh.playback.persistence.RightRepository;
import io.mediamesh.playback.persistence.RightRepository.NewRight;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Plans and the rights bought with them: subscriptions, purchases and rentals through the {@link PaymentProvider}
 * (the order and the right it buys are written in one transaction, with their events), grants and revocations by an
 * admin, and an account's entitlements.
 */
final class Commerce {

  private final Pool pool;
  private final PlaybackConfig config;
  private final Clock clock;
  private final PaymentProvider payments;
  private final Rules rules;
  private final BusClient bus;
  private final PlanRepository plans = new PlanRepository();
  private final RightRepository rights = new RightRepository();
  private final Catalog catalog = new Catalog();

  Commerce(Pool pool, PlaybackConfig config, Clock clock, PaymentProvider payments, Rules rules, BusClient bus) {
    this.bus = bus;
    this.pool = pool;
    this.config = config;
    this.clock = clock;
    this.payments = payments;
    this.rules = rules;
  }

  Future<JsonObject> plans(boolean activeOnly) {
    return plans.list(pool, activeOnly).map(list -> new JsonObject()
      .put("items", new JsonArray(list.stream().map(Plan::toJson).toList())));
  }

  Future<JsonObject> createPlan(PlanWrite w) {
    return plans.insert(pool, UUID.randomUUID(), w, currency(w), Times.now(clock)).map(Plan::toJson);
  }

  Future<JsonObject> updatePlan(PlanWrite w) {
    return plans.update(pool, w, currency(w), Times.now(clock))
      .map(p -> p.orElseThrow(() -> ServiceException.notFound("plan " + w.id())).toJson());
  }

  private String currency(PlanWrite w) {
    return w.currency() != null ? w.currency() : config.defaultCurrency();
  }

  Future<JsonObject> entitlements(Viewer viewer) {
    Instant now = now();
    return rights.standing(pool, viewer.account()).map(list -> {
      Right subscription = list.stream().filter(r -> r.subscriptionInForce(now))
        .reduce((a, b) -> b).orElse(null);
      return new JsonObject()
        .put("subscription", subscription == null ? null : subscription.toJson(now))
        .put("purchases", rightsOf(list, GrantType.PURCHASE, now))
        .put("rentals", rightsOf(list, GrantType.RENTAL, now));
    });
  }

  private static JsonArray rightsOf(List<Right> list, GrantType kind, Instant now) {
    return new JsonArray(list.stream().filter(r -> r.kind() == kind).map(r -> r.toJson(now)).toList());
  }

  /** Subscribes the caller to an active plan; a running subscription ends now (the new one replaces it). */
  Future<JsonObject> subscribe(Viewer viewer, UUID planId) {
    return plans.byId(pool, planId).compose(found -> {
      Plan plan = found.filter(Plan::active).orElseThrow(() -> new ServiceException(ErrorCode.UNPROCESSABLE,
        "planId: no active plan with this id", fields("planId", "no active plan")));
      Instant now = now();
      JsonObject subject = new JsonObject().put("planId", plan.id().toString()).put("planName", plan.name());
      return order(viewer, GrantType.SUBSCRIPTION, subject, plan.price(), plan.currency(), (tx, orderId) ->
        rights.endSubscriptions(tx, viewer.account(), now).compose(x -> grant(tx, new NewRight(UUID.randomUUID(),
          viewer.account(), GrantType.SUBSCRIPTION, plan.id(), null, null, orderId, null, now, null,
          now.plus(Duration.ofDays(plan.periodDays())), null))), "subscription");
    });
  }

  /** Buys (purchase) or rents the content at the price its rule names; a 409 when the caller already holds it. */
  Future<JsonObject> buy(Viewer viewer, ContentKey key, GrantType kind) {
    return catalog.item(pool, key.type(), key.id()).compose(found -> {
      Catalog.Item item = found.orElseThrow(() -> ServiceException.notFound(PlaybackApi.name(key.type()) + " "
        + key.id()));
      return rules.effective(pool, item.id(), item.programId()).compose(rule -> {
        ContentAccess access = rule.access();
        Integer price = access.type() != PlaybackApi.AccessType.TRANSACTIONAL ? null
          : kind == GrantType.PURCHASE ? access.purchasePrice() : access.rentalPrice();
        if (price == null) {
          return Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "this " + PlaybackApi.name(key.type())
            + " is not for " + (kind == GrantType.PURCHASE ? "sale" : "rent") + " (its access is "
            + access.type() + ")"));
        }
        return rights.standing(pool, viewer.account()).compose(held -> {
          Instant now = now();
          boolean holds = held.stream().anyMatch(r -> r.kind() == kind && r.covers(key.type(), key.id())
            && !r.state(now).equals("EXPIRED"));
          if (holds) {
            return Future.failedFuture(ServiceException.conflict("the caller already holds a "
              + kind.name().toLowerCase(java.util.Locale.ROOT) + " of this " + PlaybackApi.name(key.type())));
          }
          JsonObject subject = new JsonObject().put("contentType", PlaybackApi.name(key.type()))
            .put("contentId", key.id().toString()).put("title", item.title());
          NewRight right = content(viewer.account(), kind, key.type(), key.id(), null, now, null);
          return order(viewer, kind, subject, price, access.currency(), (tx, orderId) -> grant(tx,
            withOrder(right, orderId)), kind == GrantType.PURCHASE ? "purchase" : "rental");
        });
      });
    });
  }

  /** An admin gives a user a right without an order. */
  Future<JsonObject> grant(GrantCreate g, Caller admin) {
    Instant now = now();
    Future<NewRight> right;
    if (g.type() == GrantType.SUBSCRIPTION) {
      right = plans.byId(pool, g.planId()).map(found -> {
        Plan plan = found.orElseThrow(() -> new ServiceException(ErrorCode.UNPROCESSABLE,
          "planId: no plan with this id", fields("planId", "no such plan")));
        int days = g.days() != null ? g.days() : plan.periodDays();
        return new NewRight(UUID.randomUUID(), g.userId().toString(), GrantType.SUBSCRIPTION, plan.id(), null, null,
          null, admin.userId(), now, null, now.plus(Duration.ofDays(days)), null);
      });
    } else {
      right = catalog.exists(pool, g.contentType(), g.contentId()).map(exists -> {
        if (!exists) {
          throw new ServiceException(ErrorCode.UNPROCESSABLE, "contentId: no " + PlaybackApi.name(g.contentType())
            + " with this id", fields("contentId", "no such " + PlaybackApi.name(g.contentType())));
        }
        return content(g.userId().toString(), g.type(), g.contentType(), g.contentId(), admin.userId(), now,
          g.days());
      });
    }
    // a right of nobody would wait for an account that never comes: the user must exist (auth answers 404)
    return bus.<JsonObject>request(AuthApi.USERS_GET, new JsonObject().put("id", g.userId().toString()), admin)
      .compose(user -> right)
      .compose(r -> pool.withTransaction(tx -> grant(tx, r)))
      .compose(r -> rights.byId(pool, r.account(), r.id()))
      .map(found -> found.orElseThrow().toJson(now));
  }

  Future<JsonObject> revoke(GrantRevoke r) {
    Instant now = now();
    return pool.withTransaction(tx -> rights.revoke(tx, r.userId().toString(), r.id(), now).compose(done -> {
      if (!done) {
        return Future.failedFuture(ServiceException.notFound("right " + r.id() + " of user " + r.userId()));
      }
      return PlaybackEvents.append(tx, PlaybackEvents.REVOKED, r.userId().toString(),
        new JsonObject().put("rightId", r.id().toString()).put("revokedAt", now.toString()));
    })).map(v -> new JsonObject());
  }

  private NewRight content(String account, GrantType kind, ContentType type, UUID id, String grantedBy, Instant now,
                           Integer days) {
    if (kind == GrantType.PURCHASE) {
      return new NewRight(UUID.randomUUID(), account, kind, null, type, id, null, grantedBy, now, null, null, null);
    }
    int hours = days != null ? days * 24 : (int) config.rentalLength().toHours();
    return new NewRight(UUID.randomUUID(), account, kind, null, type, id, null, grantedBy, now,
      now.plus(config.rentalStartWindow()), null, hours);
  }

  private static NewRight withOrder(NewRight r, UUID orderId) {
    return new NewRight(r.id(), r.account(), r.kind(), r.planId(), r.contentType(), r.contentId(), orderId,
      r.grantedBy(), r.createdAt(), r.startBy(), r.endsAt(), r.rentalHours());
  }

  private Future<NewRight> grant(SqlClient tx, NewRight r) {
    return rights.insert(tx, r)
      .recover(err -> err instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(ServiceException.conflict("the user already holds this "
          + r.kind().name().toLowerCase(java.util.Locale.ROOT) + (r.kind() == GrantType.RENTAL ? " (not started yet)" : "")))
        : Future.failedFuture(err))
      .compose(v -> PlaybackEvents.append(tx, PlaybackEvents.GRANTED, r.account(), new JsonObject()
        .put("rightId", r.id().toString()).put("type", r.kind().name())
        .put("planId", r.planId() == null ? null : r.planId().toString())
        .put("contentType", r.contentType() == null ? null : PlaybackApi.name(r.contentType()))
        .put("contentId", r.contentId() == null ? null : r.contentId().toString())
        .put("source", r.grantedBy() != null ? "GRANT" : "ORDER")))
      .map(r);
  }

  private interface Fulfil {
    Future<NewRight> apply(SqlClient tx, UUID orderId);
  }

  /**
   * Records the order as PENDING, charges it through the provider, then settles it (PAID or DECLINED) and writes
   * the right it buys and their events in one transaction; answers {@code {<name>: right, order}}. A declined charge
   * is a 409 with the order. When the right cannot be written after a charge was taken (another purchase of the
   * same content won a race, the database failed), the charge is refunded and the order says so: money is never
   * kept for nothing, and no order is ever lost.
   */
  private Future<JsonObject> order(Viewer viewer, GrantType kind, JsonObject subject, int amount, String currency,
                                   Fulfil fulfil, String name) {
    UUID orderId = UUID.randomUUID();
    Instant now = now();
    PaymentProvider.Order order = new PaymentProvider.Order(orderId, viewer.account(), kind, subject, amount,
      currency);
    return pool.withTransaction(tx -> rights.insertOrder(tx, orderId, viewer.account(), kind, subject, amount,
        currency, payments.name(), null, "PENDING", now))
      .compose(v -> payments.charge(order))
      .compose(charge -> pool.withTransaction(tx ->
          rights.settleOrder(tx, orderId, charge.reference(), charge.paid() ? "PAID" : "DECLINED")
            .compose(v -> PlaybackEvents.append(tx, PlaybackEvents.ORDER_RECORDED, viewer.account(), new JsonObject()
              .put("orderId", orderId.toString()).put("kind", kind.name()).put("subject", subject)
              .put("amount", amount).put("currency", currency).put("provider", payments.name())
              .put("status", charge.paid() ? "PAID" : "DECLINED")))
            .compose(v -> charge.paid() ? fulfil.apply(tx, orderId) : Future.succeededFuture(null)))
        .recover(err -> !charge.paid() ? Future.failedFuture(err) : payments.refund(order, charge)
          .transform(refund -> pool.withTransaction(tx -> rights.settleOrder(tx, orderId, charge.reference(),
            refund.succeeded() ? "REFUNDED" : "REFUND_FAILED")))
          .transform(x -> Future.failedFuture(err)))
        .compose(right -> {
          JsonObject orderJson = new JsonObject().put("id", orderId.toString()).put("amount", amount)
            .put("currency", currency).put("provider", payments.name()).put("reference", charge.reference())
            .put("status", charge.paid() ? "PAID" : "DECLINED").put("message", charge.message());
          if (right == null) {
            return Future.failedFuture(new ServiceException(ErrorCode.CONFLICT, "payment declined: "
              + charge.message(), new JsonObject().put("order", orderJson)));
          }
          return rights.byId(pool, viewer.account(), right.id())
            .map(found -> new JsonObject().put(name, found.orElseThrow().toJson(now)).put("order", orderJson));
        }));
  }

  private static JsonObject fields(String field, String problem) {
    return new JsonObject().put("fields", new JsonObject().put(field, problem));
  }

  /** The time to the millisecond: what is stored (PostgreSQL keeps microseconds) reads back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }
}
