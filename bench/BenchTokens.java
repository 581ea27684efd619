import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.util.Base64URL;
import io.mediamesh.common.auth.Es256;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The playback benchmark's viewers: {@code count} USER access tokens of new user ids, signed with the key the
 * benchmark configured as the auth service's signing key (so every verifier of the platform accepts them), one
 * {@code <userId> <token>} per line. Logging 10,000 users in would measure password hashing, not playback.
 * Run with the platform jar on the class path: {@code java -cp launcher/target/mediamesh.jar bench/BenchTokens.java
 * <key.pem> <kid> <issuer> <audience> <count> <ttlSeconds> <out> [<ids>]}: with {@code ids} (a user id per line),
 * new tokens of those users instead of new users.
 */
public class BenchTokens {
  public static void main(String[] args) throws Exception {
    PrivateKeyInfo info;
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(Path.of(args[0]))))) {
      info = (PrivateKeyInfo) parser.readObject();
    }
    ECPrivateKey key = (ECPrivateKey) new JcaPEMKeyConverter().getPrivateKey(info);
    ECDSASigner signer = new ECDSASigner(key);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(args[1]).build();
    int count = Integer.parseInt(args[4]);
    Instant now = Instant.now();
    Instant expires = now.plusSeconds(Long.parseLong(args[5]));
    List<String> ids = args.length > 7 ? Files.readAllLines(Path.of(args[7])) : null;
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[6])))) {
      for (int i = 0; i < count; i++) {
        String user = ids != null ? ids.get(i % ids.size()).trim() : UUID.randomUUID().toString();
        SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().issuer(args[2]).audience(args[3])
          .subject(user).claim("roles", List.of("USER")).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
          .expirationTime(Date.from(expires)).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(signer);
        // the platform accepts only low-S signatures (the kernel's Es256): take the twin of a high-S one
        byte[] signature = jwt.getSignature().decode();
        if (!Es256.isLowS(signature)) {
          signature = Es256.twin(signature);
        }
        String[] parts = jwt.serialize().split("\\.");
        out.println(user + " " + parts[0] + "." + parts[1] + "." + Base64URL.encode(signature));
      }
    }
  }
}
