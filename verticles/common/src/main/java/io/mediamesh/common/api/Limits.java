package io.mediamesh.common.api;

/**
 * Every limit a client can meet, in one place: the services validate with these constants, the contracts
 * ({@code openapi/*.yaml}) state the same numbers, and {@code ContractLimitsTest} walks both contracts and fails when
 * a number there is not the one here (or a limit there has no constant here), so a client built from the contract
 * never gets a 400 it could not predict.
 */
public final class Limits {

  // ---- content: CMS, metadata, ingest's normaliser
  public static final int TITLE_MAX = 200;
  public static final int DESCRIPTION_MAX = 5000;
  public static final int SEASON_MIN = 1;
  public static final int SEASON_MAX = 1000;
  public static final int EPISODE_NUMBER_MIN = 1;
  public static final int EPISODE_NUMBER_MAX = 100_000;
  /** 48 hours: longer than any programme, short enough to catch a value sent in milliseconds. */
  public static final int DURATION_MAX = 172_800;
  public static final int LANGUAGE_MIN = 2;
  public static final int LANGUAGE_MAX = 35;
  public static final int TAGS_MAX = 30;
  public static final int TAG_LENGTH_MAX = 50;
  public static final int CATEGORY_MAX = 50;
  public static final int VERSION_MIN = 1;
  public static final int VERSION_MAX = Integer.MAX_VALUE;

  // ---- accounts
  public static final int EMAIL_MIN = 3;
  public static final int EMAIL_MAX = 254;
  public static final int PASSWORD_MIN = 10;
  public static final int PASSWORD_MAX = 128;
  public static final int DISPLAY_NAME_MAX = 100;
  public static final int REFRESH_TOKEN_MAX = 512;
  /** Profiles of one account. */
  public static final int PROFILES_MAX = 5;
  public static final int PROFILE_NAME_MAX = 50;
  public static final int AVATAR_MAX = 100;
  /** A profile PIN is 4 to 6 digits. */
  public static final int PIN_MIN = 4;
  public static final int PIN_MAX = 6;
  /** The longest PIN a profile switch reads: any string up to it is a guess (a wrong one is counted), longer a 400. */
  public static final int PIN_INPUT_MAX = 64;
  /** The highest limit a kids profile may have: a kids profile allowed 16- or 18-rated content is none. */
  public static final int KIDS_AGE_RATING_MAX = 12;

  // ---- lists and queries
  public static final int PAGE_MAX = 100_000;
  public static final int SIZE_MAX = 100;
  /** Search pages deeper than this are refused: nobody reads result 200,000, and deep pages cost the most. */
  public static final int SEARCH_PAGE_MAX = 10_000;
  public static final int QUERY_MAX = 200;
  public static final int SUGGEST_LIMIT_MAX = 20;
  public static final int RANKED_LIMIT_MAX = 50;
  public static final int GRAPHQL_QUERY_MAX = 20_000;
  public static final int IF_MATCH_MAX = 64;

  // ---- media
  public static final int MIME_TYPE_MIN = 3;
  public static final int MIME_TYPE_MAX = 100;
  public static final int THUMBNAIL_MIN = 16;
  public static final int THUMBNAIL_MAX = 2048;
  public static final long SIZE_BYTES_MIN = 1;
  /** A SHA-256 in hex. */
  public static final int SHA256_HEX = 64;

  // ---- URLs to fetch (ingest's feeds and sources, media imports)
  public static final int URL_MIN = 8;
  public static final int URL_MAX = 2048;

  // ---- ingest
  /** Scheduled sources run at most every five minutes (ingest.minIntervalSeconds may only lower it in tests). */
  public static final int INTERVAL_MIN = 300;
  /** 31 days. */
  public static final int INTERVAL_MAX = 2_678_400;

  // ---- processing: frame extraction
  public static final int FRAMES_EVERY_MIN = 1;
  public static final int FRAMES_EVERY_MAX = 3600;
  public static final int FRAMES_FPS_MIN = 1;
  public static final int FRAMES_FPS_MAX = 30;
  public static final int FRAMES_WIDTH_MIN = 16;
  public static final int FRAMES_WIDTH_MAX = 3840;

  // ---- metadata: catalog fields
  public static final int GENRES_MAX = 10;
  public static final int GENRE_LENGTH_MAX = 40;
  public static final int CREDITS_MAX = 200;
  public static final int CREDIT_NAME_MAX = 200;
  /** Age ratings: the minimum viewer age. */
  public static final java.util.List<Integer> AGE_RATINGS = java.util.List.of(0, 6, 12, 16, 18);

  // ---- playback: plans, prices, rights, sessions
  public static final int PLAN_NAME_MAX = 100;
  /** A price in minor units (cents): up to 1,000,000.00. */
  public static final int PRICE_MAX = 100_000_000;
  /** ISO 4217: three capital letters. */
  public static final int CURRENCY_LENGTH = 3;
  public static final int PERIOD_DAYS_MIN = 1;
  public static final int PERIOD_DAYS_MAX = 366;
  public static final int PACKAGES_MAX = 20;
  public static final int PACKAGE_LENGTH_MAX = 40;
  public static final int MAX_STREAMS_MIN = 1;
  public static final int MAX_STREAMS_MAX = 20;
  /** A plan's highest rendition, by height (240p to 2160p). */
  public static final int QUALITY_MIN = 240;
  public static final int QUALITY_MAX = 2160;
  /** A position in a programme: up to 24 hours. */
  public static final int POSITION_MAX = 86_400;
  /** How long an admin's grant of a subscription or rental lasts, in days. */
  public static final int GRANT_DAYS_MIN = 1;
  public static final int GRANT_DAYS_MAX = 3660;

  private Limits() {
  }
}
