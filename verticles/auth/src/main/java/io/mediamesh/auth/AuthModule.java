package io.mediamesh.auth;

import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.auth.crypto.PasswordWork;
import io.mediamesh.auth.crypto.SigningKeys;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.auth.ServiceClientSecret;
import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mediamesh.common.api.AuthApi.operation;

/**
 * The auth service: users, Argon2id passwords, ES256 access tokens with a JWKS, rotating refresh tokens with reuse
 * detection, roles. Owns {@code auth_db}; emits {@code user.*} to {@code auth.events}. Bus API: {@link AuthApi}.
 */
public final class AuthModule implements ServiceModule {

  public static final String NAME = AuthApi.SERVICE;

  private long keyReloadTimer = -1;
  private PasswordWork passwordWork;
  private ServiceContext context;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Dependency> dependencies() {
    return EnumSet.of(Dependency.POSTGRES, Dependency.KAFKA);
  }

  @Override
  public List<String> topics() {
    return List.of(Topics.AUTH);
  }

  @Override
  public Future<Void> start(ServiceContext ctx) {
    this.context = ctx;
    AuthConfig config;
    try {
      config = AuthConfig.from(ctx.platform().raw());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // the hasher computes a decoy hash at construction: keep that off the event loop too
    return ctx.vertx().executeBlocking(() -> new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(),
        config.argon2Parallelism()), false)
      .compose(hasher -> SigningKeys.load(ctx.pool(), config).compose(keys -> {
        // verify with our own keys, read from our database: no bus hop to ourselves
        ctx.useTokenVerifier(new TokenVerifier(ctx.vertx(), config.token(), keys.keySource())
          .withRevocations(ctx.revocations()));
        keyReloadTimer = ctx.vertx().setPeriodic(60_000, id -> keys.reload());
        passwordWork = new PasswordWork(ctx.vertx(), config.passwordConcurrency(), config.passwordQueue(),
          ctx.registry());
        AuthService auth = new AuthService(ctx.vertx(), ctx.pool(), config, hasher, passwordWork, keys);
        Access admin = Access.roles(Role.ADMIN);
        ctx.busService()
          .handle(operation(AuthApi.REGISTER), Access.anyone(), req -> auth.register(req.body()))
          .handle(operation(AuthApi.LOGIN), Access.anyone(), req -> auth.login(req.body()))
          .handle(operation(AuthApi.REFRESH), Access.anyone(), req -> auth.refresh(req.body()))
          .handle(operation(AuthApi.LOGOUT), Access.authenticated(), req -> auth.logout(req.caller(), req.body()))
          .handle(operation(AuthApi.ME), Access.authenticated(), req -> auth.me(req.caller()))
          .handle(operation(AuthApi.JWKS), Access.anyone(), req -> Future.succeededFuture(auth.jwks()))
          .handle(operation(AuthApi.REVOCATIONS), Access.anyone(), req -> auth.revocations(req.body()))
          .handle(operation(AuthApi.USERS_LIST), admin, req -> auth.listUsers(req.body()))
          .handle(operation(AuthApi.USERS_CREATE), admin, req -> auth.createUser(req.body()))
          .handle(operation(AuthApi.USERS_UPDATE), admin, req -> auth.updateUser(req.caller(), req.body()))
          .handle(operation(AuthApi.KEYS_ROTATE), admin, req -> keys.rotate()
            .map(kid -> new io.vertx.core.json.JsonObject().put("kid", kid)));
        return auth.bootstrapAdmin(io.mediamesh.common.auth.DevSecrets.dir(ctx.platform().raw())).compose(v -> serviceAccounts(ctx, config, auth));
      }));
  }

  /** The service clients' secrets (configured, or the development ones: file access, so on a worker thread). */
  private static Future<Void> serviceAccounts(ServiceContext ctx, AuthConfig config, AuthService auth) {
    JsonObject clients = ctx.platform().raw().getJsonObject("auth").getJsonObject("serviceClients", new JsonObject());
    return ctx.vertx().executeBlocking(() -> {
      Map<String, String> secrets = new LinkedHashMap<>();
      for (String client : clients.fieldNames()) {
        secrets.put(client, ServiceClientSecret.resolve(ctx.platform().raw(), client));
      }
      return secrets;
    }, false).compose(secrets -> {
      ServiceAccounts accounts = new ServiceAccounts(ctx.pool(), auth, config, secrets);
      ctx.busService().handle(operation(AuthApi.SERVICE_TOKEN), Access.anyone(), req -> accounts.token(req.body()));
      return accounts.bootstrap();
    });
  }

  @Override
  public Future<Void> stop() {
    if (context != null) {
      context.vertx().cancelTimer(keyReloadTimer);
    }
    return passwordWork == null ? Future.succeededFuture() : passwordWork.close();
  }
}
