package io.mediamesh.common.events;

import java.util.List;

/** The platform's topics; each has a dead-letter topic {@code <topic>.dlq}. */
public final class Topics {
  public static final String CONTENT = "content.events";
  public static final String METADATA = "metadata.events";
  public static final String MEDIA = "media.events";
  public static final String INGEST = "ingest.events";
  public static final String AUTH = "auth.events";
  public static final String PROCESSING = "processing.events";
  public static final String PLAYBACK = "playback.events";

  public static final List<String> ALL = List.of(CONTENT, METADATA, MEDIA, INGEST, AUTH, PROCESSING, PLAYBACK);

  private Topics() {
  }

  public static String dlq(String topic) {
    return topic + ".dlq";
  }

  /** Every topic and its dead-letter topic. */
  public static List<String> withDeadLetters(List<String> topics) {
    return topics.stream().flatMap(t -> java.util.stream.Stream.of(t, dlq(t))).toList();
  }
}
