package io.mediamesh.auth;

import io.mediamesh.common.db.Times;
import io.mediamesh.auth.domain.User;
import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Service accounts: for each configured service client (e.g. {@code ingest}) one real user with role EDITOR,
 * created at start, that cannot log in with a password. The client exchanges its secret
 * ({@code auth.serviceClients.<client>}) for a short-lived access token of that user, so work a service does on
 * its own (a scheduled import, a retry) is authorised like any other caller's, by token and role, in every service.
 * An admin can disable the account (users.update) to cut the client off.
 */
final class ServiceAccounts {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccounts.class);
  private static final String REFUSED = "invalid client credentials";
  /** Not a PHC string: no password ever verifies against it. */
  static final String NO_PASSWORD = "!service-account";

  private final Pool pool;
  private final AccessTokens tokens;
  private final Cutoffs cutoffs;
  private final Clock clock;
  /** client id to SHA-256 of its secret: compared in constant time, whatever the length presented. */
  private final Map<String, byte[]> secrets;
  private final UserRepository users = new UserRepository();

  ServiceAccounts(Pool pool, AccessTokens tokens, Cutoffs cutoffs, Clock clock, Map<String, String> secrets) {
    this.pool = pool;
    this.tokens = tokens;
    this.cutoffs = cutoffs;
    this.clock = clock;
    this.secrets = Map.copyOf(secrets.entrySet().stream()
      .collect(Collectors.toMap(Map.Entry::getKey, e -> sha256(e.getValue()))));
  }

  /** Creates the missing service accounts (also when several instances start at once). */
  Future<Void> bootstrap() {
    Future<Void> chain = Future.succeededFuture();
    for (String client : secrets.keySet()) {
      chain = chain.compose(v -> pool.withTransaction(tx -> {
        OffsetDateTime now = Times.now(clock);
        String email = client + "@service.mediamesh.invalid";
        User user = new User(UUID.randomUUID(), email, NO_PASSWORD, client + " service", Role.EDITOR, false, 1, now,
          now);
        return users.insertServiceAccount(tx, user, email, client).compose(inserted -> !inserted
          ? Future.succeededFuture()
          : UserEvents.created(tx, user).onSuccess(x -> LOG.info("service account for client {} created", client)));
      }));
    }
    return chain;
  }

  /** {clientId, clientSecret} to an access token of the client's service account. */
  Future<JsonObject> token(AuthApi.ClientCredentials q) {
    byte[] expected = secrets.get(q.clientId());
    // hash first, compare always: the time taken does not tell whether the client exists
    boolean ok = MessageDigest.isEqual(sha256(q.clientSecret()), expected == null ? sha256("") : expected)
      && expected != null;
    if (!ok) {
      return Future.failedFuture(ServiceException.unauthenticated(REFUSED));
    }
    return users.byServiceClient(pool, q.clientId()).compose(found -> {
      if (found.isEmpty() || found.get().disabled()) {
        return Future.failedFuture(ServiceException.unauthenticated(REFUSED));
      }
      // not before the account's cut-off (a role change or re-enable moved it), or the token would be refused
      return cutoffs.cutoffMs(pool, found.get().id()).map(cutoff -> new JsonObject()
        .put("accessToken", tokens.issue(found.get(), cutoff))
        .put("tokenType", "Bearer")
        .put("expiresIn", tokens.expiresInSeconds()));
    });
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
