package io.mediamesh.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies MediaMesh access tokens strictly; the gateways and every service use it.
 * <ul>
 *   <li>only ES256 is accepted (so {@code alg: none} and HMAC tokens "signed" with a public key are refused before
 *   any key is touched), and the key must be an EC P-256 key named by the header's {@code kid};</li>
 *   <li>the signature must verify; {@code iss} and {@code aud} must match; {@code exp}, {@code iat} and {@code sub}
 *   must be present; {@code exp} and {@code nbf} are checked with a small clock skew;</li>
 *   <li>an unknown {@code kid} refreshes the key set once, then fails. Concurrent misses share one fetch, and a
 *   fetch asked for sooner than {@code minRefreshMs} after the previous one waits for that moment instead of being
 *   skipped, so a token signed with a just-rotated key is accepted, while a flood of made-up key ids costs at most
 *   one fetch per {@code minRefreshMs}.</li>
 *   <li>the key set is fetched again when it is older than five minutes, so a key removed by the auth service
 *   stops verifying everywhere.</li>
 * </ul>
 * Every refusal is a 401 {@link ServiceException} whose message says which rule failed, never the key material.
 */
public final class TokenVerifier {

  public static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(JWSAlgorithm.ES256);

  private final Vertx vertx;
  private final TokenConfig config;
  private final KeySource keys;
  private final Clock clock;
  private final long minRefreshMs;

  /** Keys older than this are fetched again before use, so a key the auth service dropped stops working. */
  static final long MAX_AGE_MS = 300_000;

  private volatile JWKSet current = new JWKSet();
  private Future<JWKSet> inflight;
  private volatile long lastFetchMs = Long.MIN_VALUE / 2;
  /** Per-user cut-offs (disable, role change, logout); none when not wired (unit tests of the token alone). */
  private volatile Revocations revocations;

  public TokenVerifier(Vertx vertx, TokenConfig config, KeySource keys, Clock clock, long minRefreshMs) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.clock = clock;
    this.minRefreshMs = minRefreshMs;
  }

  public TokenVerifier(Vertx vertx, TokenConfig config, KeySource keys) {
    this(vertx, config, keys, Clock.systemUTC(), 500);
  }

  /** Refuses tokens issued before their user's cut-off ({@link Revocations}). */
  public TokenVerifier withRevocations(Revocations revocations) {
    this.revocations = revocations;
    return this;
  }

  /** Verifies a bare token (no "Bearer " prefix) and returns the caller it names. */
  public Future<Caller> verify(String token) {
    SignedJWT jwt;
    try {
      jwt = parse(token);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    String kid = jwt.getHeader().getKeyID();
    boolean fresh = clock.millis() - lastFetchMs < MAX_AGE_MS;
    JWK known = fresh ? current.getKeyByKeyId(kid) : null;
    if (known != null) {
      return check(jwt, known, token);
    }
    // the shared fetch completes on whichever thread fetched: continue on the caller's own context
    Promise<JWKSet> here = ((ContextInternal) vertx.getOrCreateContext()).promise();
    refresh().onComplete(here);
    return here.future().compose(set -> {
      JWK refreshed = set.getKeyByKeyId(kid);
      return refreshed == null ? Future.failedFuture(refused("unknown signing key")) : check(jwt, refreshed, token);
    });
  }

  /** Verifies an {@code Authorization} header value ("Bearer <token>"). */
  public Future<Caller> verifyBearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      return Future.failedFuture(refused("expected a Bearer token"));
    }
    return verify(header.substring(7).trim());
  }

  private SignedJWT parse(String token) {
    if (token == null || token.isBlank() || token.length() > 8192) {
      throw refused("missing or oversized token");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      // also where "alg": "none" ends: such a token has no JWS header
      throw refused("malformed token");
    }
    JWSHeader header = jwt.getHeader();
    if (!ALLOWED_ALGORITHMS.contains(header.getAlgorithm())) {
      throw refused("algorithm " + header.getAlgorithm() + " not allowed");
    }
    if (header.getType() != null && !JOSEObjectType.JWT.equals(header.getType())) {
      throw refused("unexpected token type");
    }
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw refused("unsupported critical header");
    }
    if (header.getKeyID() == null || header.getKeyID().isBlank()) {
      throw refused("token names no key (kid)");
    }
    return jwt;
  }

  private Future<Caller> check(SignedJWT jwt, JWK jwk, String token) {
    try {
      if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
        return Future.failedFuture(refused("key is not an EC P-256 key"));
      }
      byte[] signature = jwt.getSignature().decode();
      if (!Es256.isLowS(signature)) {
        return Future.failedFuture(refused("signature not in low-S form"));
      }
      // base64url leaves spare bits in the last character: only the one canonical spelling is accepted
      if (!com.nimbusds.jose.util.Base64URL.encode(signature).toString().equals(jwt.getSignature().toString())) {
        return Future.failedFuture(refused("signature not canonically encoded"));
      }
      if (!jwt.verify(new ECDSAVerifier(ec.toECPublicKey()))) {
        return Future.failedFuture(refused("bad signature"));
      }
      return Future.succeededFuture(claims(jwt.getJWTClaimsSet(), token));
    } catch (JOSEException | ParseException e) {
      return Future.failedFuture(refused("bad signature"));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  private Caller claims(JWTClaimsSet claims, String token) {
    Instant now = clock.instant();
    long skew = config.clockSkew().toMillis();
    if (!config.issuer().equals(claims.getIssuer())) {
      throw refused("wrong issuer");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(config.audience())) {
      throw refused("wrong audience");
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || exp.toInstant().toEpochMilli() + skew <= now.toEpochMilli()) {
      throw refused("token expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().toEpochMilli() - skew > now.toEpochMilli()) {
      throw refused("token not valid yet");
    }
    Date iat = claims.getIssueTime();
    if (iat == null || iat.toInstant().toEpochMilli() - skew > now.toEpochMilli()) {
      throw refused("token issued in the future");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw refused("token has no subject");
    }
    Revocations cutoffs = revocations;
    if (cutoffs != null && cutoffs.revoked(subject, iat.toInstant().toEpochMilli())) {
      throw refused("token revoked (signed out, disabled or role changed); sign in again");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    try {
      List<String> names = claims.getStringListClaim("roles");
      if (names != null) {
        names.forEach(n -> Role.parse(n).ifPresent(roles::add));
      }
    } catch (ParseException e) {
      throw refused("roles claim is malformed");
    }
    return new Caller(subject, roles, token);
  }

  private synchronized Future<JWKSet> refresh() {
    if (inflight != null) {
      return inflight;
    }
    Promise<JWKSet> promise = Promise.promise();
    inflight = promise.future();
    long wait = lastFetchMs + minRefreshMs - clock.millis();
    if (wait > 0) {
      vertx.setTimer(wait, id -> fetch(promise));
    } else {
      fetch(promise);
    }
    return promise.future();
  }

  private void fetch(Promise<JWKSet> promise) {
    synchronized (this) {
      lastFetchMs = clock.millis();
    }
    keys.fetch().onComplete(ar -> {
      synchronized (this) {
        inflight = null;
        if (ar.succeeded()) {
          current = ar.result();
        }
      }
      if (ar.succeeded()) {
        promise.complete(ar.result());
      } else {
        promise.fail(new ServiceException(io.mediamesh.common.bus.ErrorCode.UNAVAILABLE, "cannot load signing keys"));
      }
    });
  }

  private static ServiceException refused(String why) {
    return ServiceException.unauthenticated("invalid access token: " + why);
  }
}
