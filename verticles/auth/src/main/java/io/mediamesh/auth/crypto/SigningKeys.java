package io.mediamesh.auth.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.mediamesh.auth.AuthConfig;
import io.mediamesh.common.db.Times;
import io.mediamesh.common.auth.KeySource;
import io.mediamesh.common.bus.ServiceException;
import io.mediamesh.common.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ES256 signing keys. The active key signs; the published set (JWKS) holds the active key and every key
 * retired less than one access-token lifetime ago, so tokens signed just before a rotation verify until they
 * expire. Keys come from configuration ({@code auth.signingKeyPem}, an EC P-256 private key in PEM) or, when none
 * is configured, a development key generated on first start and kept in {@code signing_keys}. All instances read
 * the same table, so they agree on the set; each reloads it periodically and on an unknown key id.
 */
public final class SigningKeys {

  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  /** Serialises key set changes between instances ("mmkeys"). */
  private static final long LOCK_ID = 0x6d6d6b657973L;

  private final Pool pool;
  private final AuthConfig config;
  /** When a key retires, and so until when it is still published (tokens are timed by the same clock). */
  private final Clock clock;
  private volatile ECKey active;
  private volatile JWKSet published = new JWKSet();

  private SigningKeys(Pool pool, AuthConfig config, Clock clock) {
    this.pool = pool;
    this.config = config;
    this.clock = clock;
  }

  public static Future<SigningKeys> load(Pool pool, AuthConfig config, Clock clock) {
    SigningKeys keys = new SigningKeys(pool, config, clock);
    return pool.withTransaction(tx -> lock(tx).compose(v -> config.signingKeyPem().isBlank()
        ? keys.ensureGenerated(tx) : keys.ensureConfigured(tx)))
      .compose(v -> keys.reload())
      .map(keys);
  }

  /** Signs claims with the active key. */
  public String sign(JWTClaimsSet claims) {
    ECKey key = active;
    try {
      return io.mediamesh.common.auth.Es256.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims, key);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
  }

  public String activeKid() {
    return active.getKeyID();
  }

  /** The public keys, as served at {@code /.well-known/jwks.json}. */
  public JWKSet published() {
    return published;
  }

  /** A key source for this service's own verifier: reads the table again, so rotations elsewhere are seen. */
  public KeySource keySource() {
    return () -> reload().map(v -> published);
  }

  /** Re-reads the active key and the published set. */
  public Future<Void> reload() {
    return pool.preparedQuery("SELECT kid, jwk, has_private, retired_at FROM signing_keys "
        + "WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at")
      .execute(Tuple.of(now().minus(config.accessTokenTtl())))
      .map(rows -> {
        List<JWK> keys = new ArrayList<>();
        ECKey signing = null;
        for (Row row : rows) {
          ECKey key = parse(row.getString("jwk"));
          keys.add(key.toPublicJWK());
          if (row.getValue("retired_at") == null) {
            signing = row.getBoolean("has_private") ? key : configuredKey();
          }
        }
        if (signing == null) {
          throw new IllegalStateException("no active signing key");
        }
        active = signing;
        published = new JWKSet(keys);
        return null;
      });
  }

  /**
   * Retires the active key and makes a new one active (development keys only: a configured key is rotated by
   * configuring the next one, and the replaced key is retired at the next start).
   */
  public Future<String> rotate() {
    if (!config.signingKeyPem().isBlank()) {
      return Future.failedFuture(ServiceException.conflict(
        "the signing key comes from configuration; rotate it by configuring the next key"));
    }
    return pool.withTransaction(tx -> lock(tx).compose(v -> insertGenerated(tx)))
      .compose(kid -> reload().map(kid));
  }

  private Future<Void> ensureGenerated(SqlConnection tx) {
    return tx.query("SELECT kid FROM signing_keys WHERE retired_at IS NULL AND has_private").execute()
      .compose(rows -> rows.size() > 0 ? Future.succeededFuture() : insertGenerated(tx).mapEmpty());
  }

  private Future<String> insertGenerated(SqlConnection tx) {
    ECKey key;
    try {
      key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.ES256).generate();
    } catch (JOSEException e) {
      return Future.failedFuture(e);
    }
    LOG.warn("using a generated development signing key {} (set auth.signingKeyPem in production)",
      key.getKeyID());
    return retireOthers(tx, key.getKeyID(), now())
      .compose(v -> tx.preparedQuery("INSERT INTO signing_keys (kid, jwk, has_private, source) VALUES ($1, $2, true, "
        + "'generated')").execute(Tuple.of(key.getKeyID(), key.toJSONString())))
      .map(key.getKeyID());
  }

  private Future<Void> ensureConfigured(SqlConnection tx) {
    ECKey key = configuredKey();
    return tx.preparedQuery("SELECT retired_at FROM signing_keys WHERE kid = $1").execute(Tuple.of(key.getKeyID()))
      .compose(rows -> {
        if (rows.size() > 0 && rows.iterator().next().getValue("retired_at") == null) {
          return Future.succeededFuture();
        }
        return retireOthers(tx, key.getKeyID(), now()).compose(v -> tx.preparedQuery(
            "INSERT INTO signing_keys (kid, jwk, has_private, source) VALUES ($1, $2, false, 'configured') "
              + "ON CONFLICT (kid) DO UPDATE SET retired_at = NULL")
          .execute(Tuple.of(key.getKeyID(), key.toPublicJWK().toJSONString()))).mapEmpty();
      });
  }

  private ECKey configuredKey() {
    try {
      KeyPair pair = PemKeys.readP256(config.signingKeyPem());
      ECKey ec = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).build();
      String kid = config.signingKeyId().isBlank() ? ec.computeThumbprint().toString() : config.signingKeyId();
      return new ECKey.Builder(ec).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
    } catch (IllegalArgumentException | JOSEException e) {
      throw new ConfigException("auth.signingKeyPem must be an EC P-256 private key in PEM: " + e.getMessage());
    }
  }

  private static Future<Void> retireOthers(SqlConnection tx, String kid, OffsetDateTime at) {
    return tx.preparedQuery("UPDATE signing_keys SET retired_at = $2 WHERE retired_at IS NULL AND kid <> $1")
      .execute(Tuple.of(kid, at)).mapEmpty();
  }

  private OffsetDateTime now() {
    return Times.now(clock);
  }

  private static Future<Void> lock(SqlConnection tx) {
    return tx.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")").execute().mapEmpty();
  }

  private static ECKey parse(String json) {
    try {
      return ECKey.parse(json);
    } catch (ParseException e) {
      throw new IllegalStateException("unreadable key in signing_keys", e);
    }
  }
}
