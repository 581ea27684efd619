package io.mediamesh.auth.crypto;

import com.nimbusds.jose.jwk.Curve;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPublicKeySpec;

/**
 * Reads an EC P-256 private key from PEM, either PKCS#8 ({@code BEGIN PRIVATE KEY}, as {@code openssl genpkey}
 * writes it) or SEC1 ({@code BEGIN EC PRIVATE KEY}); when the PEM carries no public key, it is derived from the
 * private scalar.
 */
final class PemKeys {

  private PemKeys() {
  }

  static KeyPair readP256(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      KeyPair pair;
      if (object instanceof PEMKeyPair keyPair) {
        pair = converter.getKeyPair(keyPair);
      } else if (object instanceof PrivateKeyInfo info) {
        ECPrivateKey priv = (ECPrivateKey) converter.getPrivateKey(info);
        pair = new KeyPair(derivePublic(priv), priv);
      } else {
        throw new IllegalArgumentException("no private key found");
      }
      if (!(pair.getPrivate() instanceof ECPrivateKey priv)
        || !Curve.P_256.equals(Curve.forECParameterSpec(priv.getParams()))) {
        throw new IllegalArgumentException("not an EC P-256 key");
      }
      return pair;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // Bouncy Castle reports bad base64 or structure with unchecked exceptions
      throw new IllegalArgumentException("unreadable PEM: " + e.getMessage());
    }
  }

  private static ECPublicKey derivePublic(ECPrivateKey priv) throws GeneralSecurityException {
    ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
    ECPoint q = curve.getG().multiply(priv.getS()).normalize();
    ECPublicKeySpec spec = new ECPublicKeySpec(new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
      q.getAffineYCoord().toBigInteger()), priv.getParams());
    return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
  }
}
