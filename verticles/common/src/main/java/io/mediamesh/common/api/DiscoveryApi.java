package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.Operation;

/**
 * The discovery service's event-bus API: the public read model of published content, built from events. Every
 * address is public (a token is optional). Reads are served cache-aside from Redis.
 * <pre>
 * address                                  request                                        reply
 * mediamesh.discovery.programs.list        {category?, language?, sort?, page?, size?}    Page of Program
 * mediamesh.discovery.programs.get         {id}                                           Program
 * mediamesh.discovery.programs.batch       {ids: [..] (1..100)}                           {items: [Program]} (found only)
 * mediamesh.discovery.programs.episodes    {id, page?, size?}                             Page of Episode
 * mediamesh.discovery.programs.episodes.batch {ids: [..] (1..100), page?, size?}          {items: [{programId, page}]}
 *                                           (one page per visible program, one query for all: GraphQL's episodes)
 * mediamesh.discovery.episodes.get         {id}                                           Episode
 * mediamesh.discovery.episodes.batch       {ids: [..] (1..100)}                           {items: [Episode]} (found only)
 * mediamesh.discovery.categories           {}                                             {items: [{category, programs}]}
 * mediamesh.discovery.trending             {limit?}                                       {items: [Ranked]}
 * mediamesh.discovery.popular              {limit?}                                       {items: [Ranked]}
 * mediamesh.discovery.views.record         {contentId, contentType: PROGRAM|EPISODE,      {accepted: true|false}
 *                                           viewerId?}
 *
 * Program = {id, title, description, category, language, tags, durationSeconds, publishDate, publishedAt,
 *            thumbnailUrl, episodeCount, version}
 * Episode = {id, programId, seasonNumber, episodeNumber, title, description, durationSeconds, category, language,
 *            tags, publishDate, publishedAt, thumbnailUrl, mediaUrl, version}
 * Ranked  = {type: PROGRAM|EPISODE, score, views, item: Program|Episode}
 * Page    = {items, page, size, total}; page from 0, size 1..100 (default 20).
 * </pre>
 * The CMS's title and description win over the metadata's; metadata supplies category, language, tags,
 * durationSeconds and publishDate. Only published content of a published program is visible. Program sort:
 * {@code publishedAt} (default, newest first), {@code title}, {@code popular}. Trending ranks views of the recent
 * window with time decay, popular all views; a viewer (the caller's user id, else {@code viewerId}, which the
 * gateway derives from the client address) counts once per content per window. {@code limit} 1..50 (default 10).
 * Every change to the read model is announced on {@link #INVALIDATED} (a bus publish of
 * {@code {programs: [ids], episodes: [ids], lists: true|false, gone: [ids not visible after the change]}}) so
 * gateways can drop near-cached answers and their stale copies.
 */
public final class DiscoveryApi {
  public static final String SERVICE = "discovery";
  private static final Access ANYONE = Access.anyone();
  public static final Operation<Operation.Json> PROGRAMS_LIST = Operation.of(SERVICE, "programs.list", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> PROGRAMS_GET = Operation.of(SERVICE, "programs.get", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> PROGRAMS_BATCH = Operation.of(SERVICE, "programs.batch", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> PROGRAM_EPISODES = Operation.of(SERVICE, "programs.episodes", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> PROGRAM_EPISODES_BATCH = Operation.of(SERVICE, "programs.episodes.batch", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> EPISODES_GET = Operation.of(SERVICE, "episodes.get", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> EPISODES_BATCH = Operation.of(SERVICE, "episodes.batch", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> CATEGORIES = Operation.of(SERVICE, "categories", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> TRENDING = Operation.of(SERVICE, "trending", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> POPULAR = Operation.of(SERVICE, "popular", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> VIEWS_RECORD = Operation.of(SERVICE, "views.record", ANYONE, Operation.Json::from);
  public static final String INVALIDATED = Addresses.of(SERVICE, "invalidated");
  /**
   * Redis key prefix of the <b>tombstones</b> the discovery service keeps (shared Redis): {@code GONE_PREFIX + id}
   * exists while a program or episode that changed is not visible (a draft, unpublished, archived or deleted), for
   * {@code services.discovery.goneTtlSeconds}; it is removed when the content is visible again. Whoever keeps copies
   * of public answers (the gateway's stale-if-error store) checks it before serving one, so a taken-down title is
   * never shown again, even by a gateway that missed the {@link #INVALIDATED} publish.
   */
  public static final String GONE_PREFIX = "mediamesh:gone:";

  private DiscoveryApi() {
  }

  public static String operation(Operation<?> operation) {
    return operation.name();
  }
}
