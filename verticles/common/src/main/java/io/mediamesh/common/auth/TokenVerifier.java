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
import io.mediamesh.common.api.AgeRatings;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>a token's signature is verified once per process: the exact token string, while the key that verified it
 *   is still its kid's current key, skips the ECDSA check (most of a request's CPU) at its next uses; the claims
 *   (expiry, issuer, audience, cut-offs) are checked at every use.</li>
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

  /** Verified signatures kept at most (the active users of the last token lifetime, in practice). */
  static final int VERIFIED_MAX = 20_000;

  private volatile JWKSet current = new JWKSet();
  /**
   * Tokens whose signature verified, with the key that verified it and their claims, least recently used first: the
   * ECDSA check, most of a request's CPU, runs once per token and process. Only the exact token string hits, and
   * only while its key is still the current key of its kid; every other rule (expiry, issuer, audience, cut-offs)
   * runs at every use. Shared by the verifiers of one JVM (the gateway and the services of the launcher verify the
   * same tokens); a hit must name the very key that verified it, whichever verifier that was.
   */
  private static final Map<String, Verified> VERIFIED = Collections.synchronizedMap(
    new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
        return size() > VERIFIED_MAX;
      }
    });

  private record Verified(JWK key, JWTClaimsSet claims) {
  }
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
    boolean fresh = clock.millis() - lastFetchMs < MAX_AGE_MS;
    // a token verified before, whose key is still its kid's: its claims are checked again, nothing is parsed
    Verified hit = fresh && token != null ? VERIFIED.get(token) : null;
    if (hit != null && hit.key().equals(current.getKeyByKeyId(hit.key().getKeyID()))) {
      try {
        return Future.succeededFuture(claims(hit.claims(), token));
      } catch (ServiceException e) {
        return Future.failedFuture(e);
      }
    }
    SignedJWT jwt;
    try {
      jwt = parse(token);
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    String kid = jwt.getHeader().getKeyID();
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
      ECDSAVerifier verifier = new ECDSAVerifier(ec.toECPublicKey());
      if (Context.isOnEventLoopThread()) {
        // the signature costs a millisecond of a core: not on an event loop, where it would hold up every request
        return vertx.executeBlocking(() -> jwt.verify(verifier), false).transform(ar -> ar.succeeded()
          ? verified(ar.result(), jwt, jwk, token)
          : Future.failedFuture(refused("bad signature")));
      }
      return verified(jwt.verify(verifier), jwt, jwk, token);
    } catch (JOSEException e) {
      return Future.failedFuture(refused("bad signature"));
    }
  }

  /** The caller of a token whose signature was checked ({@code valid}); remembered as verified. */
  private Future<Caller> verified(boolean valid, SignedJWT jwt, JWK jwk, String token) {
    if (!valid) {
      return Future.failedFuture(refused("bad signature"));
    }
    try {
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Caller caller = claims(claims, token);
      VERIFIED.put(token, new Verified(jwk, claims));
      return Future.succeededFuture(caller);
    } catch (ParseException e) {
      return Future.failedFuture(refused("bad signature"));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** The claims of a token scoped to a profile: its id and its age limit (0, 6, 12, 16 or 18). */
  public static final String PROFILE_CLAIM = "profile";
  public static final String MAX_AGE_CLAIM = "maxAgeRating";

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
    Object profile = claims.getClaim(PROFILE_CLAIM);
    if (profile == null) {
      return new Caller(subject, roles, token);
    }
    Object limit = claims.getClaim(MAX_AGE_CLAIM);
    if (!(profile instanceof String p) || p.isBlank() || !(limit instanceof Number n)
      || n.doubleValue() != n.intValue() || !AgeRatings.valid(n.intValue())) {
      throw refused("profile claims are malformed");
    }
    return new Caller(subject, roles, token, p, n.intValue());
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
