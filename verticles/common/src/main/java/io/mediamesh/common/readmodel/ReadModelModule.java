package io.mediamesh.common.readmodel;

import io.mediamesh.common.runtime.ServiceModule;

import java.util.List;

/**
 * A service whose state is a read model of the content projection (search, discovery): it keeps the shared
 * {@code readmodel} schema in its database and consumes the projection's topics, which it creates (with their
 * DLQs) if missing so it can start before their producers.
 */
public interface ReadModelModule extends ServiceModule {

  @Override
  default List<String> topics() {
    return List.copyOf(ContentProjection.TOPICS);
  }

  @Override
  default List<String> sharedSchemas() {
    return List.of("readmodel");
  }
}
