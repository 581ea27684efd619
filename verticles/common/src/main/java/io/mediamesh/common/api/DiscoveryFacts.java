package io.mediamesh.common.api;

import java.util.UUID;

/**
 * The names of the facts discovery's public answers depend on, and the cache keys built from them: one vocabulary
 * for the discovery service's Redis cache (each entry depends on facts, invalidating a fact drops its entries), for
 * the {@link DiscoveryApi.Invalidation} it publishes, and for the discovery gateway's near cache (which drops the
 * keys of the programs and episodes an invalidation names).
 * <pre>
 * program:&lt;id&gt;                   a program's detail (its episode count included)
 * program-episodes:&lt;id&gt;:&lt;page&gt;   a page of a program's episodes: depends on program:&lt;id&gt;
 *                                (episodes follow their program's visibility)
 * episode:&lt;id&gt;                   an episode's detail
 * lists:c=&lt;cat&gt;:l=&lt;lang&gt;        the program lists of a category and language (* for any)
 * lists:...                      any list of programs (a key under this prefix is a list answer)
 * categories                     the categories with their counts
 * </pre>
 * Ids are written as the caller has them: a validated UUID's {@code toString()} by the service, the path's text by
 * the gateway (whose contract checks it is a UUID).
 */
public final class DiscoveryFacts {

  private static final String PROGRAM = "program:";
  private static final String PROGRAM_EPISODES = "program-episodes:";
  private static final String EPISODE = "episode:";
  /** Every list answer's key starts with this. */
  public static final String LISTS = "lists:";
  public static final String CATEGORIES = "categories";

  private DiscoveryFacts() {
  }

  public static String program(UUID id) {
    return program(id.toString());
  }

  public static String program(String id) {
    return PROGRAM + id;
  }

  public static String episode(UUID id) {
    return episode(id.toString());
  }

  public static String episode(String id) {
    return EPISODE + id;
  }

  /** What every page of a program's episodes is keyed under: the key of a page is this, then the page's own part. */
  public static String programEpisodes(UUID programId) {
    return programEpisodes(programId.toString());
  }

  public static String programEpisodes(String programId) {
    return PROGRAM_EPISODES + programId + ":";
  }

  /** The program lists filtered by {@code category} and {@code language} (null: any). */
  public static String lists(String category, String language) {
    return LISTS + "c=" + (category == null ? "*" : category) + ":l=" + (language == null ? "*" : language);
  }

  /** A list answer of operation {@code operation}, keyed by its parameters in a canonical form. */
  public static String list(String operation, String parameters) {
    return LISTS + operation + ":" + parameters;
  }

  public static boolean isList(String key) {
    return key.startsWith(LISTS);
  }

  /** The program or episode a key is about (a detail, or a page of a program's episodes); null for anything else. */
  public static String subject(String key) {
    if (key.startsWith(PROGRAM)) {
      return key.substring(PROGRAM.length());
    }
    if (key.startsWith(EPISODE)) {
      return key.substring(EPISODE.length());
    }
    if (key.startsWith(PROGRAM_EPISODES)) {
      int end = key.indexOf(':', PROGRAM_EPISODES.length());
      return end < 0 ? key.substring(PROGRAM_EPISODES.length()) : key.substring(PROGRAM_EPISODES.length(), end);
    }
    return null;
  }
}
