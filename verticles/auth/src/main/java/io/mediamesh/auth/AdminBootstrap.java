package io.mediamesh.auth;

import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.common.db.Times;
import io.mediamesh.auth.domain.User;
import io.mediamesh.auth.persistence.UserRepository;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.auth.DevSecrets;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.validation.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The first administrator: from {@code MEDIAMESH_ADMIN_EMAIL} / {@code MEDIAMESH_ADMIN_PASSWORD} when no admin exists
 * (also when several instances start at once; an existing user with that e-mail is promoted), or, with none
 * configured, one with a generated password, so the platform is never running with no way in.
 */
final class AdminBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  /** The address of the admin a platform makes for itself when none is configured. */
  static final String GENERATED_ADMIN = "admin@mediamesh.local";

  private final Vertx vertx;
  private final Pool pool;
  private final PasswordHasher hasher;
  private final Accounts accounts;
  private final Clock clock;
  private final UserRepository users = new UserRepository();

  AdminBootstrap(Vertx vertx, Pool pool, PasswordHasher hasher, Accounts accounts, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.hasher = hasher;
    this.accounts = accounts;
    this.clock = clock;
  }

  /** Makes the first admin unless one exists: the configured one, or a generated one kept in {@code devSecretsDir}. */
  Future<Void> run(AuthConfig config) {
    if (config.adminEmail().isBlank() || config.adminPassword().isBlank()) {
      return generated(config.devSecretsDir());
    }
    return bootstrap(config.adminEmail(), config.adminPassword(), false, config.devSecretsDir());
  }

  /**
   * With no {@code MEDIAMESH_ADMIN_*} and no admin yet (a newcomer's first start), an admin with a generated password,
   * kept owner-only in {@code <dir>/admin.password} and told once in the log.
   */
  private Future<Void> generated(Path dir) {
    return users.anyAdmin(pool).compose(any -> any ? Future.succeededFuture()
      : vertx.executeBlocking(() -> DevSecrets.resolve(dir, "admin.password", 32, "admin.password"), false)
        .compose(password -> bootstrap(GENERATED_ADMIN, password, true, dir)));
  }

  private Future<Void> bootstrap(String configuredEmail, String password, boolean generated, Path dir) {
    Fields f = Fields.of(new JsonObject().put("email", configuredEmail).put("password", password));
    String email = AuthApi.email(f, "email");
    AuthApi.password(f, "password", email);
    try {
      f.validate();
    } catch (ServiceException e) {
      return Future.failedFuture(new IllegalArgumentException("MEDIAMESH_ADMIN_EMAIL / MEDIAMESH_ADMIN_PASSWORD: "
        + e.getMessage()));
    }
    return vertx.executeBlocking(() -> hasher.hash(password), false).compose(hash ->
      pool.withTransaction(tx -> users.lockAdmins(tx)
        .compose(v -> users.anyAdmin(tx))
        .compose(any -> {
          if (any) {
            return Future.succeededFuture();
          }
          return users.byEmail(tx, AuthApi.normaliseEmail(email)).compose(existing -> {
            if (existing.isPresent()) {
              User u = existing.get();
              return users.update(tx, u.id(), u.displayName(), Role.ADMIN, false, Times.now(clock))
                .compose(after -> users.recordRoleChange(tx, u.id(), u.role(), Role.ADMIN, null)
                  .compose(v -> UserEvents.roleChanged(tx, after, u.role())));
            }
            return accounts.insert(tx, email, hash, "Administrator", Role.ADMIN).<Void>mapEmpty();
          }).onSuccess(v -> {
            if (!generated) {
              LOG.info("first admin account {} created", email);
            } else {
              LOG.warn("No admin was configured, so one was made: sign in as {} with the password {} (also in {}, "
                + "readable only by its owner). To use your own: sign in, create an admin of yours "
                + "(POST /api/v1/cms/users with role ADMIN), then disable this one (PATCH /api/v1/cms/users/{id} "
                + "with disabled: true); or set MEDIAMESH_ADMIN_EMAIL and MEDIAMESH_ADMIN_PASSWORD before the "
                + "first start.", email, password, dir.resolve("admin.password").toAbsolutePath());
            }
          });
        })));
  }
}
