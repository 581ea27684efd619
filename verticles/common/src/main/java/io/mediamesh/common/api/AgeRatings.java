package io.mediamesh.common.api;

import java.util.List;

/**
 * Age ratings: the minimum viewer age of a program or episode (0, 6, 12, 16 or 18), and a profile's limit on them.
 * A limit of 18 is no limit. Under a limit, content without a rating is treated as 18: it is hidden and refused
 * until an editor rates it (a kids profile must never be shown what nobody has judged suitable). An episode's
 * rating is the higher of its own and its program's.
 */
public final class AgeRatings {

  /** The ratings, lowest first. */
  public static final List<Integer> VALUES = List.of(0, 6, 12, 16, 18);
  /** The highest rating: a limit of it is no limit. */
  public static final int ADULT = 18;

  private AgeRatings() {
  }

  public static boolean valid(int rating) {
    return VALUES.contains(rating);
  }

  /** The limit as filters and cache keys use it: null for none (absent or {@link #ADULT}). */
  public static Integer limit(Integer maxAgeRating) {
    return maxAgeRating == null || maxAgeRating >= ADULT ? null : maxAgeRating;
  }

  /** The stricter of two limits (null: none). */
  public static Integer stricter(Integer a, Integer b) {
    Integer la = limit(a);
    Integer lb = limit(b);
    if (la == null) {
      return lb;
    }
    return lb == null ? la : Math.min(la, lb);
  }

  /** Whether content rated {@code rating} (null: unrated) may be shown under {@code maxAgeRating} (null: none). */
  public static boolean allows(Integer maxAgeRating, Integer rating) {
    Integer limit = limit(maxAgeRating);
    return limit == null || rating != null && rating <= limit;
  }

  /** A cache key's tier: {@code a} for no limit, else the limit ({@code 0}, {@code 6}, ...). */
  public static String tier(Integer maxAgeRating) {
    Integer limit = limit(maxAgeRating);
    return limit == null ? "a" : limit.toString();
  }
}
