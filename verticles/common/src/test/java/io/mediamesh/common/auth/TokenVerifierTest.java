package io.mediamesh.common.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.Role;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Table-driven: every kind of forged or unusable token is refused with a 401 that says why. */
class TokenVerifierTest {

  static final TokenConfig CONFIG = new TokenConfig("mediamesh", "mediamesh-api", Duration.ofSeconds(30));
  static ECKey key;
  static ECKey otherKey;
  static RSAKey rsaKey;

  static io.vertx.core.Vertx vertx;

  @org.junit.jupiter.api.AfterAll
  static void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void keys() throws Exception {
    vertx = io.vertx.core.Vertx.vertx();
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    otherKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate(); // same kid, different key
    rsaKey = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer("mediamesh").audience("mediamesh-api").subject("user-1")
      .claim("roles", List.of("EDITOR")).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(900)));
  }

  static String sign(ECKey with, String kid, JWTClaimsSet claims) {
    try {
      return Es256.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build(),
        claims, with);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String valid() {
    return sign(key, "k1", claims().build());
  }

  record Forgery(String name, Supplier<String> token, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Forgery> forgeries() {
    return Stream.of(
      new Forgery("alg none", () -> new PlainJWT(claims().build()).serialize(), "malformed"),
      new Forgery("alg none with a signature-looking header", () -> {
        String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)).toString();
        return header + "." + claims().build().toPayload().toBase64URL() + ".";
      }, "malformed"),
      new Forgery("HS256 keyed with the public key", () -> {
        try {
          SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
          byte[] publicKey = key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
          jwt.sign(new MACSigner(publicKey));
          return jwt.serialize();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "algorithm HS256 not allowed"),
      new Forgery("RS256 with a key of its own", () -> {
        try {
          SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims().build());
          jwt.sign(new RSASSASigner(rsaKey));
          return jwt.serialize();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "algorithm RS256 not allowed"),
      new Forgery("signed by another key under the same kid", () -> sign(otherKey, "k1", claims().build()),
        "bad signature"),
      new Forgery("payload swapped after signing (roles ADMIN)", () -> {
        String[] parts = valid().split("\\.");
        String admin = claims().claim("roles", List.of("ADMIN")).build().toPayload().toBase64URL().toString();
        return parts[0] + "." + admin + "." + parts[2];
      }, "bad signature"),
      new Forgery("signature of another token", () -> {
        String[] a = valid().split("\\.");
        String[] b = sign(key, "k1", claims().subject("user-2").build()).split("\\.");
        return a[0] + "." + a[1] + "." + b[2];
      }, "bad signature"),
      new Forgery("expired", () -> sign(key, "k1", claims().expirationTime(Date.from(Instant.now().minusSeconds(60)))
        .build()), "expired"),
      new Forgery("no expiry", () -> sign(key, "k1", claims().expirationTime(null).build()), "expired"),
      new Forgery("not valid yet", () -> sign(key, "k1", claims().notBeforeTime(Date.from(Instant.now()
        .plusSeconds(600))).build()), "not valid yet"),
      new Forgery("issued in the future", () -> sign(key, "k1", claims().issueTime(Date.from(Instant.now()
        .plusSeconds(600))).build()), "issued in the future"),
      new Forgery("wrong audience", () -> sign(key, "k1", claims().audience("other-api").build()), "wrong audience"),
      new Forgery("wrong issuer", () -> sign(key, "k1", claims().issuer("evil").build()), "wrong issuer"),
      new Forgery("no subject", () -> sign(key, "k1", claims().subject(null).build()), "no subject"),
      new Forgery("no kid", () -> sign(key, null, claims().build()), "kid"),
      new Forgery("a profile without its limit", () -> sign(key, "k1", claims().claim("profile", "p-1").build()),
        "profile claims are malformed"),
      new Forgery("a profile with a rating that is none", () -> sign(key, "k1", claims().claim("profile", "p-1")
        .claim("maxAgeRating", 13).build()), "profile claims are malformed"),
      new Forgery("a profile limit as text", () -> sign(key, "k1", claims().claim("profile", "p-1")
        .claim("maxAgeRating", "6").build()), "profile claims are malformed"),
      new Forgery("unknown kid", () -> sign(key, "k-unknown", claims().build()), "unknown signing key"),
      new Forgery("garbage", () -> "not.a.token", "malformed"),
      new Forgery("empty", () -> "", "missing"));
  }

  private static ServiceException refusal(Future<Caller> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (ServiceException) e.getCause();
    }
    throw new AssertionError("token was accepted");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void refuses(Forgery forgery) throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    TokenVerifier verifier = new TokenVerifier(vertx, CONFIG, () -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(new JWKSet(key.toPublicJWK()));
    }, Clock.systemUTC(), 0);
    ServiceException e = refusal(verifier.verify(forgery.token().get()));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains(forgery.reason());
    assertThat(fetches.get()).as("key set fetched at most once").isLessThanOrEqualTo(1);
  }

  @Test
  void acceptsAValidTokenAndReadsCallerAndRoles() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, CONFIG, () -> Future.succeededFuture(new JWKSet(key.toPublicJWK())));
    String token = valid();
    Caller caller = verifier.verify(token).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(caller.userId()).isEqualTo("user-1");
    assertThat(caller.roles()).containsExactly(Role.EDITOR);
    assertThat(caller.token()).isEqualTo(token);
    assertThat(caller.toString()).doesNotContain(token);
    assertThat(caller.profileId()).isNull();
    assertThat(caller.ageLimit()).isNull();
    Caller kids = verifier.verify(sign(key, "k1", claims().claim("profile", "p-1").claim("maxAgeRating", 6).build()))
      .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(kids.profileId()).isEqualTo("p-1");
    assertThat(kids.ageLimit()).isEqualTo(6);
    Caller viaHeader = verifier.verifyBearer("Bearer " + token).toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS);
    assertThat(viaHeader.userId()).isEqualTo("user-1");
  }

  @Test
  void unknownKidRefreshesOnceThenUsesTheNewKey() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    List<com.nimbusds.jose.jwk.JWK> published = new java.util.concurrent.CopyOnWriteArrayList<>(
      List.of(key.toPublicJWK()));
    TokenVerifier verifier = new TokenVerifier(vertx, CONFIG, () -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(new JWKSet(List.copyOf(published)));
    }, Clock.systemUTC(), 300);
    verifier.verify(valid()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(fetches.get()).isEqualTo(1);
    // a key rotated in right after that fetch: the next refresh waits for its turn instead of refusing
    ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
    published.add(rotated.toPublicJWK());
    Caller c = verifier.verify(sign(rotated, "k2", claims().build())).toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS);
    assertThat(c.userId()).isEqualTo("user-1");
    assertThat(fetches.get()).isEqualTo(2);
    verifier.verify(sign(rotated, "k2", claims().build())).toCompletionStage().toCompletableFuture()
      .get(5, TimeUnit.SECONDS);
    assertThat(fetches.get()).as("known keys need no fetch").isEqualTo(2);
    // a flood of made-up key ids at once shares one fetch
    List<Future<Caller>> flood = java.util.stream.IntStream.range(0, 50)
      .mapToObj(i -> verifier.verify(sign(key, "nope-" + i, claims().build()))).toList();
    for (Future<Caller> f : flood) {
      assertThat(refusal(f).getMessage()).contains("unknown signing key");
    }
    assertThat(fetches.get()).isEqualTo(3);
  }

  @Test
  void aSignaturesHighSTwinIsRefusedThoughItVerifies() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, CONFIG, () -> Future.succeededFuture(new JWKSet(key.toPublicJWK())));
    for (int i = 0; i < 20; i++) { // ECDSA's s is random: about half of raw signatures are high-S
      String token = valid();
      String[] parts = token.split("\\.");
      byte[] signature = com.nimbusds.jose.util.Base64URL.from(parts[2]).decode();
      assertThat(Es256.isLowS(signature)).as("signed in low-S form").isTrue();
      String twin = parts[0] + "." + parts[1] + "." + com.nimbusds.jose.util.Base64URL.encode(Es256.twin(signature));
      // the twin is a valid ECDSA signature of the same token...
      assertThat(SignedJWT.parse(twin).verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key.toECPublicKey()))).isTrue();
      // ...and still refused: one token, one string
      assertThat(refusal(verifier.verify(twin)).getMessage()).contains("low-S");
      // nor another spelling of the same signature: the last base64url character carries spare bits
      char last = parts[2].charAt(parts[2].length() - 1);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      char other = alphabet.charAt(alphabet.indexOf(last) ^ 1); // same 2 data bits, another spare bit
      String respelled = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 1) + other;
      assertThat(com.nimbusds.jose.util.Base64URL.from(respelled.split("\\.")[2]).decode()).isEqualTo(signature);
      assertThat(refusal(verifier.verify(respelled)).getMessage()).contains("canonically");
      assertThat(verifier.verify(token).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).userId())
        .isEqualTo("user-1");
    }
  }

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void aVerifiedTokenSkipsTheSignatureCheckButNotItsClaimsNorAChangedKey() throws Exception {
    MovingClock clock = new MovingClock();
    AtomicInteger fetches = new AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<JWKSet> published = new java.util.concurrent.atomic.AtomicReference<>(
      new JWKSet(key.toPublicJWK()));
    TokenVerifier verifier = new TokenVerifier(vertx, CONFIG, () -> {
      fetches.incrementAndGet();
      return Future.succeededFuture(published.get());
    }, clock, 0);
    Instant issued = clock.instant();
    String token = sign(key, "k1", claims().issueTime(Date.from(issued))
      .expirationTime(Date.from(issued.plusSeconds(900))).build());
    for (int i = 0; i < 3; i++) {
      assertThat(verifier.verify(token).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).userId())
        .isEqualTo("user-1");
    }
    // a forgery of the cached token is not the cached token
    String[] parts = token.split("\\.");
    String admin = claims().claim("roles", List.of("ADMIN")).build().toPayload().toBase64URL().toString();
    assertThat(refusal(verifier.verify(parts[0] + "." + admin + "." + parts[2])).getMessage()).contains("bad signature");
    // the key of k1 replaced (seen at the next fetch, past the key set's age): the cached token verifies again, and fails
    published.set(new JWKSet(otherKey.toPublicJWK()));
    clock.advance(Duration.ofMillis(TokenVerifier.MAX_AGE_MS + 1));
    assertThat(refusal(verifier.verify(token)).getMessage()).contains("bad signature");
    // the claims are checked at every use: back to the first key, the token still expires
    published.set(new JWKSet(key.toPublicJWK()));
    clock.advance(Duration.ofMillis(TokenVerifier.MAX_AGE_MS + 1));
    assertThat(verifier.verify(token).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).userId())
      .isEqualTo("user-1");
    clock.advance(Duration.ofSeconds(900));
    assertThat(refusal(verifier.verify(token)).getMessage()).contains("expired");
  }

  @Test
  void bearerHeaderMustBeWellFormed() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, CONFIG, () -> Future.succeededFuture(new JWKSet(key.toPublicJWK())));
    assertThat(refusal(verifier.verifyBearer(null)).getMessage()).contains("Bearer");
    assertThat(refusal(verifier.verifyBearer("Basic abc")).getMessage()).contains("Bearer");
    assertThat(refusal(verifier.verifyBearer("Bearer ")).getMessage()).contains("Bearer");
  }
}
