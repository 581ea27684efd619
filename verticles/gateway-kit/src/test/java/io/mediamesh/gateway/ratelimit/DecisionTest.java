package io.mediamesh.gateway.ratelimit;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fields a decision puts on an answer: {@code RateLimit-Policy} and {@code RateLimit} (one item per decision,
 * in the same order), and for a refusal the 429 whose {@code retryAfterSeconds} becomes {@code Retry-After}.
 */
class DecisionTest {

  private static final RateClass LOGIN_IP = new RateClass("login-ip", 20, 60);
  private static final RateClass LOGIN_ACCOUNT = new RateClass("login-account", 10, 300);

  @Test
  void itemCarriesRemainingAndReset() {
    Decision d = new Decision(LOGIN_IP, true, 17, 9, 0, false);
    assertThat(d.item()).isEqualTo("\"login-ip\";r=17;t=9");
  }

  @Test
  void headersListEveryDecisionOfTheRequestInOrder() {
    List<Decision> decisions = List.of(new Decision(LOGIN_IP, true, 19, 3, 0, false),
      new Decision(LOGIN_ACCOUNT, false, 0, 300, 30, false));
    assertThat(Decision.policyHeader(decisions))
      .isEqualTo("\"login-ip\";q=20;w=60, \"login-account\";q=10;w=300");
    assertThat(Decision.rateLimitHeader(decisions))
      .isEqualTo("\"login-ip\";r=19;t=3, \"login-account\";r=0;t=300");
  }

  @Test
  void oneDecisionMakesOneItem() {
    List<Decision> decisions = List.of(new Decision(LOGIN_IP, true, 0, 60, 0, false));
    assertThat(Decision.policyHeader(decisions)).isEqualTo(LOGIN_IP.policy());
    assertThat(Decision.rateLimitHeader(decisions)).isEqualTo("\"login-ip\";r=0;t=60");
  }

  @Test
  void refusalIsA429NamingThePolicyAndTheSecondsToWait() {
    ServiceException e = new Decision(LOGIN_ACCOUNT, false, 0, 300, 30, false).refusal();
    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(e.code().status()).isEqualTo(429);
    assertThat(e.getMessage()).isEqualTo("too many requests (login-account: 10 per 300 s)");
    assertThat(e.details().getString("policy")).isEqualTo("login-account");
    assertThat(e.details().getLong("retryAfterSeconds")).isEqualTo(30L);
  }

  @Test
  void aRefusalWithoutRedisIsA503NotA429() {
    // fail-closed: the caller did not spend its quota, the limiter could not tell
    ServiceException e = new Decision(LOGIN_ACCOUNT, false, 0, 300, 1, true).refusal();
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e.code().status()).isEqualTo(503);
    assertThat(e.details().getString("policy")).isEqualTo("login-account");
    assertThat(e.details().getLong("retryAfterSeconds")).isEqualTo(1L);
  }
}
