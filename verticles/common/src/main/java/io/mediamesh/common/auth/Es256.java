package io.mediamesh.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.math.BigInteger;

/**
 * ES256 signatures in low-S form only. An ECDSA signature {@code (r, s)} has a twin {@code (r, n - s)} that verifies
 * as well, so without a rule one token has two valid strings (a token denylisted or logged by its string could come
 * back as its twin). Tokens are signed with {@code s <= n/2}, and verifiers refuse the other half.
 */
public final class Es256 {

  /** The order of the P-256 group. */
  static final BigInteger N =
    new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  private static final BigInteger HALF_N = N.shiftRight(1);

  private Es256() {
  }

  /** Signs {@code claims} with {@code key}; the signature is in low-S form. */
  public static String sign(JWSHeader header, JWTClaimsSet claims, ECKey key) throws JOSEException {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new ECDSASigner(key));
    String[] parts = jwt.serialize().split("\\.");
    byte[] signature = jwt.getSignature().decode();
    return parts[0] + "." + parts[1] + "." + Base64URL.encode(lowS(signature));
  }

  /** Whether a JWS ES256 signature (r || s, 64 bytes) is in low-S form. */
  public static boolean isLowS(byte[] signature) {
    return signature.length == 64 && s(signature).compareTo(HALF_N) <= 0;
  }

  /** The low-S twin of a signature (itself when already low). */
  static byte[] lowS(byte[] signature) {
    return signature.length != 64 || isLowS(signature) ? signature : twin(signature);
  }

  /** The other twin: {@code (r, n - s)}; for tests that forge one. */
  public static byte[] twin(byte[] signature) {
    return withS(signature, N.subtract(s(signature)));
  }

  private static BigInteger s(byte[] signature) {
    byte[] s = new byte[32];
    System.arraycopy(signature, 32, s, 0, 32);
    return new BigInteger(1, s);
  }

  private static byte[] withS(byte[] signature, BigInteger s) {
    byte[] out = signature.clone();
    byte[] raw = s.toByteArray();
    java.util.Arrays.fill(out, 32, 64, (byte) 0);
    int len = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - len, out, 64 - len, len);
    return out;
  }
}
