package io.mediamesh.auth;

import io.mediamesh.auth.crypto.PasswordHasher;
import io.mediamesh.auth.crypto.PasswordWork;
import io.mediamesh.auth.crypto.SigningKeys;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.auth.ServiceClientSecret;
import io.mediamesh.common.auth.TokenVerifier;
import io.mediamesh.common.events.Topics;
import io.mediamesh.common.runtime.Dependency;
import io.mediamesh.common.runtime.ServiceContext;
import io.mediamesh.common.runtime.ServiceModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The auth service: users, Argon2id passwords, ES256 access tokens with a JWKS, rotating refresh tokens with reuse
 * detection, roles. Owns {@code auth_db}; emits {@code user.*} to {@code auth.events}. Bus API: {@link AuthApi}.
 */
public final class AuthModule implements ServiceModule {

  public static final String NAME = AuthApi.SERVICE;
  /** How often the key set is read again (rotations by other instances). */
  private static final long KEY_RELOAD_MS = 60_000;
  /** The soonest the verifier refetches keys after a fetch, as every service's verifier. */
  private static final long KEY_REFETCH_MIN_MS = 500;

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
    Clock clock = ctx.clock();
    // the hasher computes a decoy hash at construction: keep that off the event loop too
    return ctx.vertx().executeBlocking(() -> new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(),
        config.argon2Parallelism()), false)
      .compose(hasher -> SigningKeys.load(ctx.pool(), config, clock).compose(keys -> {
        // verify with our own keys, read from our database (no bus hop to ourselves), on the clock tokens are issued by
        ctx.useTokenVerifier(new TokenVerifier(ctx.vertx(), config.token(), keys.keySource(), clock,
          KEY_REFETCH_MIN_MS).withRevocations(ctx.revocations()));
        keyReloadTimer = ctx.vertx().setPeriodic(KEY_RELOAD_MS, id -> keys.reload());
        passwordWork = new PasswordWork(ctx.vertx(), config.passwordConcurrency(), config.passwordQueue(),
          ctx.registry());
        Cutoffs cutoffs = new Cutoffs(ctx.vertx(), ctx.pool(), clock);
        AccessTokens tokens = new AccessTokens(config.token(), config.accessTokenTtl(), clock, keys::sign);
        Accounts accounts = new Accounts(ctx.pool(), hasher, passwordWork, cutoffs, clock);
        Sessions sessions = new Sessions(ctx.pool(), hasher, passwordWork, tokens, cutoffs, config.refreshTokenTtl(),
          clock);
        Profiles profiles = new Profiles(ctx.pool(), hasher, passwordWork, sessions, cutoffs, clock,
          config.pinAttempts(), config.pinLock());
        ctx.busService()
          .handle(AuthApi.PROFILES_LIST, (q, caller) -> profiles.list(caller))
          .handle(AuthApi.PROFILES_CREATE, (q, caller) -> profiles.create(caller, q))
          .handle(AuthApi.PROFILES_UPDATE, (q, caller) -> profiles.update(caller, q))
          .handle(AuthApi.PROFILES_DELETE, (q, caller) -> profiles.delete(caller, q))
          .handle(AuthApi.PROFILES_SELECT, (q, caller) -> profiles.select(caller, q))
          .handle(AuthApi.REGISTER, (q, caller) -> accounts.register(q))
          .handle(AuthApi.LOGIN, (q, caller) -> sessions.login(q))
          .handle(AuthApi.REFRESH, (q, caller) -> sessions.refresh(q))
          .handle(AuthApi.LOGOUT, (q, caller) -> sessions.logout(caller, q))
          .handle(AuthApi.ME, (q, caller) -> accounts.me(caller))
          .handle(AuthApi.JWKS, (q, caller) -> Future.succeededFuture(
            new JsonObject(keys.published().toString(true))))
          .handle(AuthApi.REVOCATIONS, (q, caller) -> cutoffs.since(q))
          .handle(AuthApi.USERS_LIST, (q, caller) -> accounts.list(q))
          .handle(AuthApi.USERS_CREATE, (q, caller) -> accounts.create(q))
          .handle(AuthApi.USERS_UPDATE, (q, caller) -> accounts.update(caller, q))
          .handle(AuthApi.USERS_GET, (q, caller) -> accounts.get(q.id()))
          .handle(AuthApi.KEYS_ROTATE, (q, caller) -> keys.rotate().map(kid -> new JsonObject().put("kid", kid)));
        return new AdminBootstrap(ctx.vertx(), ctx.pool(), hasher, accounts, clock).run(config)
          .compose(v -> serviceAccounts(ctx, config, tokens, cutoffs));
      }));
  }

  /** The service clients' secrets (configured, or the development ones: file access, so on a worker thread). */
  private static Future<Void> serviceAccounts(ServiceContext ctx, AuthConfig config, AccessTokens tokens,
                                              Cutoffs cutoffs) {
    return ctx.vertx().executeBlocking(() -> {
      Map<String, String> secrets = new LinkedHashMap<>();
      for (String client : config.serviceClients()) {
        secrets.put(client, ServiceClientSecret.resolve(ctx.platform().raw(), client));
      }
      return secrets;
    }, false).compose(secrets -> {
      ServiceAccounts accounts = new ServiceAccounts(ctx.pool(), tokens, cutoffs, ctx.clock(), secrets);
      ctx.busService().handle(AuthApi.SERVICE_TOKEN, (q, caller) -> accounts.token(q));
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
