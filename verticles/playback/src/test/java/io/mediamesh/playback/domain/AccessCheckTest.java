package io.mediamesh.playback.domain;

import io.mediamesh.common.api.ContentType;
import io.mediamesh.common.api.PlaybackApi.AccessType;
import io.mediamesh.common.api.PlaybackApi.ContentAccess;
import io.mediamesh.common.api.PlaybackApi.Reason;
import io.mediamesh.common.api.PlaybackApi.Via;
import io.mediamesh.playback.domain.AccessCheck.Content;
import io.mediamesh.playback.domain.AccessCheck.Decision;
import io.mediamesh.playback.domain.AccessCheck.Input;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The access check as a table: each row a situation and the decision it must give; every reason code appears. */
class AccessCheckTest {

  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  static final UUID PROGRAM = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
  static final UUID EPISODE = UUID.fromString("00000000-0000-0000-0000-0000000000e1");
  static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
  static final Duration HOURS_48 = Duration.ofHours(48);

  static final ContentAccess FREE = new ContentAccess(AccessType.FREE, List.of(), null, null, null);
  static final ContentAccess ANY_SUB = new ContentAccess(AccessType.SUBSCRIPTION, List.of(), null, null, null);
  static final ContentAccess PREMIUM = new ContentAccess(AccessType.SUBSCRIPTION, List.of("premium"), null, null, null);
  static final ContentAccess TVOD = new ContentAccess(AccessType.TRANSACTIONAL, List.of(), 1299, 399, "USD");

  static final Right BASIC_SUB = Right.subscription(id(1), id(101), "Basic", List.of("basic"), 1, false,
    NOW.minus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(27)));
  static final Right PREMIUM_SUB = Right.subscription(id(2), id(102), "Premium", List.of("basic", "premium"), 4, false,
    NOW.minus(Duration.ofDays(3)), NOW.plus(Duration.ofDays(27)));
  static final Right LAPSED_SUB = Right.subscription(id(3), id(102), "Premium", List.of("premium"), 4, false,
    NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(10)));
  static final Right EVICTING_SUB = Right.subscription(id(4), id(103), "Family", List.of("premium"), 1, true,
    NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(29)));
  static final Right PURCHASE = Right.purchase(id(5), ContentType.PROGRAM, PROGRAM, NOW.minus(Duration.ofDays(100)));
  static final Right OTHER_PURCHASE = Right.purchase(id(6), ContentType.PROGRAM, OTHER, NOW);
  static final Right RENTAL_WAITING = Right.rental(id(7), ContentType.PROGRAM, PROGRAM, NOW.minus(Duration.ofDays(2)),
    NOW.plus(Duration.ofDays(28)), null, HOURS_48);
  static final Right RENTAL_RUNNING = Right.rental(id(8), ContentType.PROGRAM, PROGRAM, NOW.minus(Duration.ofDays(2)),
    NOW.plus(Duration.ofDays(28)), NOW.minus(Duration.ofHours(47)), HOURS_48);
  static final Right RENTAL_SPENT = Right.rental(id(9), ContentType.PROGRAM, PROGRAM, NOW.minus(Duration.ofDays(5)),
    NOW.plus(Duration.ofDays(25)), NOW.minus(Duration.ofHours(48)), HOURS_48);
  static final Right RENTAL_NEVER_STARTED = Right.rental(id(10), ContentType.PROGRAM, PROGRAM,
    NOW.minus(Duration.ofDays(31)), NOW.minus(Duration.ofDays(1)), null, HOURS_48);
  static final Right EPISODE_RENTAL = Right.rental(id(11), ContentType.EPISODE, EPISODE, NOW, NOW.plus(Duration.ofDays(30)),
    null, HOURS_48);

  static UUID id(int n) {
    return new UUID(0, n);
  }

  static Content program(ContentAccess access) {
    return new Content(ContentType.PROGRAM, PROGRAM, null, access, null, null, null, true);
  }

  static Content episode(ContentAccess access) {
    return new Content(ContentType.EPISODE, EPISODE, PROGRAM, access, null, null, null, true);
  }

  /** name, content, rights, profile limit, active streams, expected reason (null: allowed), via, until. */
  static Stream<Arguments> table() {
    Content rated18 = new Content(ContentType.PROGRAM, PROGRAM, null, FREE, null, null, 18, true);
    Content rated12 = new Content(ContentType.PROGRAM, PROGRAM, null, FREE, null, null, 12, true);
    Content unrated = new Content(ContentType.PROGRAM, PROGRAM, null, FREE, null, null, null, true);
    Content notYet = new Content(ContentType.PROGRAM, PROGRAM, null, FREE, NOW.plusSeconds(60), null, null, true);
    Content over = new Content(ContentType.PROGRAM, PROGRAM, null, FREE, null, NOW, null, true);
    Content windowed = new Content(ContentType.PROGRAM, PROGRAM, null, ANY_SUB, NOW.minusSeconds(60),
      NOW.plus(Duration.ofDays(2)), null, true);
    Content unplayable = new Content(ContentType.PROGRAM, PROGRAM, null, FREE, null, null, null, false);
    return Stream.of(
      row("free content plays for anyone", program(FREE), List.of(), null, 0, null, Via.FREE, null),
      row("free content counts streams too", program(FREE), List.of(), null, 3, Reason.STREAM_LIMIT, null, null),
      row("no right to subscription content", program(ANY_SUB), List.of(), null, 0, Reason.NOT_ENTITLED, null, null),
      row("any subscription covers an empty package list", program(ANY_SUB), List.of(BASIC_SUB), null, 0, null,
        Via.SUBSCRIPTION, BASIC_SUB.endsAt()),
      row("a subscription without the package", program(PREMIUM), List.of(BASIC_SUB), null, 0,
        Reason.NOT_ENTITLED, null, null),
      row("a subscription with the package", program(PREMIUM), List.of(PREMIUM_SUB), null, 0, null,
        Via.SUBSCRIPTION, PREMIUM_SUB.endsAt()),
      row("a lapsed subscription", program(PREMIUM), List.of(LAPSED_SUB), null, 0, Reason.NOT_ENTITLED, null, null),
      row("a subscription does not buy transactional content", program(TVOD), List.of(PREMIUM_SUB), null, 0,
        Reason.NOT_ENTITLED, null, null),
      row("a purchase never ends", program(TVOD), List.of(PURCHASE), null, 0, null, Via.PURCHASE, null),
      row("a purchase of something else", program(TVOD), List.of(OTHER_PURCHASE), null, 0, Reason.NOT_ENTITLED,
        null, null),
      row("a purchase of the program covers its episodes", episode(TVOD), List.of(PURCHASE), null, 0, null,
        Via.PURCHASE, null),
      row("a granted purchase plays subscription content too", program(PREMIUM), List.of(PURCHASE), null, 0, null,
        Via.PURCHASE, null),
      row("a rental not started plays and starts its 48 h", program(TVOD), List.of(RENTAL_WAITING), null, 0, null,
        Via.RENTAL, NOW.plus(HOURS_48)),
      row("a running rental plays until its end", program(TVOD), List.of(RENTAL_RUNNING), null, 0, null, Via.RENTAL,
        RENTAL_RUNNING.endsAt()),
      row("a rental 48 h after its first play", program(TVOD), List.of(RENTAL_SPENT), null, 0,
        Reason.RENTAL_EXPIRED, null, null),
      row("a rental not started within its 30 days", program(TVOD), List.of(RENTAL_NEVER_STARTED), null, 0,
        Reason.RENTAL_EXPIRED, null, null),
      row("a spent rental and a fresh one: the fresh one", program(TVOD), List.of(RENTAL_SPENT, RENTAL_WAITING), null, 0,
        null, Via.RENTAL, NOW.plus(HOURS_48)),
      row("a rental of the episode covers the episode", episode(TVOD), List.of(EPISODE_RENTAL), null, 0, null,
        Via.RENTAL, NOW.plus(HOURS_48)),
      row("an 18 for a profile limited to 12", rated18, List.of(), 12, 0, Reason.PARENTAL_BLOCK, null, null),
      row("an 18 for a profile without limit", rated18, List.of(), null, 0, null, Via.FREE, null),
      row("an 18 for an adult profile", rated18, List.of(), 18, 0, null, Via.FREE, null),
      row("unrated content for a kids profile: nobody judged it suitable", unrated, List.of(), 6, 0,
        Reason.PARENTAL_BLOCK, null, null),
      row("unrated content for an adult profile", unrated, List.of(), 18, 0, null, Via.FREE, null),
      row("a 12 for a profile limited to 12", rated12, List.of(), 12, 0, null, Via.FREE, null),
      row("before its window", notYet, List.of(), null, 0, Reason.NOT_AVAILABLE, null, null),
      row("at the end of its window", over, List.of(), null, 0, Reason.NOT_AVAILABLE, null, null),
      row("the window ends before the subscription", windowed, List.of(BASIC_SUB), null, 0, null, Via.SUBSCRIPTION,
        NOW.plus(Duration.ofDays(2))),
      row("nothing ready to play", unplayable, List.of(), null, 0, Reason.NOT_PLAYABLE, null, null),
      row("not playable wins over not entitled", new Content(ContentType.PROGRAM, PROGRAM, null, TVOD, null, null,
        null, false), List.of(), null, 0, Reason.NOT_PLAYABLE, null, null),
      row("a plan of one stream with one running", program(ANY_SUB), List.of(BASIC_SUB), null, 1,
        Reason.STREAM_LIMIT, null, null),
      row("a plan of four with three running", program(ANY_SUB), List.of(PREMIUM_SUB), null, 3, null,
        Via.SUBSCRIPTION, PREMIUM_SUB.endsAt()),
      row("a plan that ends the oldest session", program(PREMIUM), List.of(EVICTING_SUB), null, 1, null,
        Via.SUBSCRIPTION, EVICTING_SUB.endsAt()),
      row("a bought and a granted subscription: either's packages", program(PREMIUM), List.of(BASIC_SUB,
        Right.subscription(id(12), id(104), "Sports", List.of("sports"), 6, false, NOW.minus(Duration.ofDays(1)),
          NOW.plus(Duration.ofDays(5)))), null, 0, Reason.NOT_ENTITLED, null, null),
      row("premium held beside a plan with more streams", program(PREMIUM), List.of(PREMIUM_SUB,
        Right.subscription(id(13), id(104), "Sports", List.of("sports"), 6, false, NOW.minus(Duration.ofDays(1)),
          NOW.plus(Duration.ofDays(5)))), null, 5, null, Via.SUBSCRIPTION, PREMIUM_SUB.endsAt()),
      row("not entitled wins over the stream limit", program(TVOD), List.of(BASIC_SUB), null, 5,
        Reason.NOT_ENTITLED, null, null));
  }

  static Arguments row(String name, Content content, List<Right> rights, Integer maxAge, int streams, Reason reason,
                       Via via, Instant until) {
    return Arguments.of(name, content, rights, maxAge, streams, reason, via, until);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(String name, Content content, List<Right> rights, Integer maxAge, int streams, Reason reason, Via via,
               Instant until) {
    Decision d = AccessCheck.decide(new Input(content, rights, maxAge, streams, 3, NOW));
    assertThat(d.allowed()).as("allowed").isEqualTo(reason == null);
    assertThat(d.reason()).as("reason").isEqualTo(reason);
    assertThat(d.via()).as("via").isEqualTo(via);
    assertThat(d.until()).as("until").isEqualTo(until);
  }

  @Test
  void theTableCoversEveryReasonCode() {
    Set<Reason> covered = table().map(a -> (Reason) a.get()[5]).filter(java.util.Objects::nonNull)
      .collect(Collectors.toCollection(() -> EnumSet.noneOf(Reason.class)));
    assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(Reason.values()));
  }

  @Test
  void onlyAFreshRentalStartsItsClock() {
    assertThat(AccessCheck.decide(new Input(program(TVOD), List.of(RENTAL_WAITING), null, 0, 3, NOW)).startsRental())
      .isTrue();
    assertThat(AccessCheck.decide(new Input(program(TVOD), List.of(RENTAL_RUNNING, RENTAL_WAITING), null, 0, 3, NOW))
      .startsRental()).as("a running rental is used before a fresh one").isFalse();
    assertThat(AccessCheck.decide(new Input(program(TVOD), List.of(PURCHASE, RENTAL_WAITING), null, 0, 3, NOW))
      .via()).isEqualTo(Via.PURCHASE);
  }

  @Test
  void aRentalStartedInAClosingWindowStillLastsItsOwnLength() {
    Content closing = new Content(ContentType.PROGRAM, PROGRAM, null, TVOD, null, NOW.plus(Duration.ofHours(1)), null,
      true);
    Decision d = AccessCheck.decide(new Input(closing, List.of(RENTAL_WAITING), null, 0, 3, NOW));
    assertThat(d.until()).as("plays until the window closes").isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(d.rightEnds()).as("the rental itself lasts 48 h").isEqualTo(NOW.plus(HOURS_48));
  }

  @Test
  void theLimitIsThePlansOrTheDefault() {
    Decision sub = AccessCheck.decide(new Input(program(FREE), List.of(PREMIUM_SUB), null, 0, 3, NOW));
    assertThat(sub.maxStreams()).isEqualTo(4);
    Decision none = AccessCheck.decide(new Input(program(FREE), List.of(), null, 0, 3, NOW));
    assertThat(none.maxStreams()).isEqualTo(3);
    assertThat(AccessCheck.decide(new Input(program(PREMIUM), List.of(EVICTING_SUB), null, 1, 3, NOW)).evictOldest())
      .isTrue();
  }
}
