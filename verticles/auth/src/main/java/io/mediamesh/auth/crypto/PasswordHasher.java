package io.mediamesh.auth.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argon2id password hashing (Bouncy Castle), stored in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}, so the parameters can be raised later
 * and old hashes still verify. Blocking and deliberately slow: call it on a worker thread.
 */
public final class PasswordHasher {

  private static final Pattern PHC =
    Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final int memoryKib;
  private final int iterations;
  private final int parallelism;
  private final SecureRandom random = new SecureRandom();
  /** A real hash of a random secret: verifying against it costs what a real check costs (see {@link #burn}). */
  private final String decoy;

  public PasswordHasher(int memoryKib, int iterations, int parallelism) {
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
    byte[] secret = new byte[16];
    random.nextBytes(secret);
    this.decoy = hash(B64.encodeToString(secret));
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] out = derive(password, salt, memoryKib, iterations, parallelism, 32);
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
      + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** Constant-time comparison; a malformed stored hash never matches. */
  public boolean verify(String password, String stored) {
    Matcher m = PHC.matcher(stored == null ? "" : stored);
    if (!m.matches()) {
      return false;
    }
    byte[] expected = B64D.decode(m.group(5));
    byte[] actual = derive(password, B64D.decode(m.group(4)), Integer.parseInt(m.group(1)),
      Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** Spends the time of a verification when there is no user to verify, so timing does not reveal that. */
  public void burn(String password) {
    verify(password, decoy);
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                               int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
      .withVersion(Argon2Parameters.ARGON2_VERSION_13)
      .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
