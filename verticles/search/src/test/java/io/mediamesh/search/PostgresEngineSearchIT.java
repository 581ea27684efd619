package io.mediamesh.search;

/** Every {@link SearchIT} test, answered by PostgreSQL itself ({@code engine: postgres}) instead of the copy. */
class PostgresEngineSearchIT extends SearchIT {

  @Override
  protected String engine() {
    return "postgres";
  }
}
