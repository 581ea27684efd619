package io.mediamesh.common.db;

import io.mediamesh.common.config.PgConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Per-service PostgreSQL databases: created when missing (if allowed), migrated with Flyway at start (on a worker
 * thread: Flyway is blocking JDBC), then served by a reactive pool.
 * <p>
 * Two migration histories per database: the kernel's tables (outbox, processed events) from
 * {@code classpath:db/kernel} in {@code kernel_schema_history}, and the service's own from
 * {@code classpath:db/<service>} in Flyway's default {@code flyway_schema_history}; they never clash on versions.
 */
public final class Databases {

  private static final Logger LOG = LoggerFactory.getLogger(Databases.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String UNIQUE_VIOLATION = "23505";

  private Databases() {
  }

  /** Ensures, migrates and opens the database; the pool is ready to use when the future completes. */
  public static Future<Pool> open(Vertx vertx, PgConfig pg, String database, String service) {
    return open(vertx, pg, database, service, List.of());
  }

  /**
   * As {@link #open(Vertx, PgConfig, String, String)}, also applying shared schemas: tables that several services
   * keep in their own databases (e.g. {@code readmodel}), from {@code classpath:db/<schema>} with their own history
   * table {@code <schema>_schema_history}.
   */
  public static Future<Pool> open(Vertx vertx, PgConfig pg, String database, String service, List<String> shared) {
    Future<Void> created = pg.createDatabases() ? ensureExists(vertx, pg, database) : Future.succeededFuture();
    return created
      .compose(v -> migrate(vertx, pg, database, service, shared))
      .map(v -> pool(vertx, pg, database));
  }

  public static Pool pool(Vertx vertx, PgConfig pg, String database) {
    return PgBuilder.pool()
      .with(new PoolOptions().setMaxSize(pg.maxPoolSize()).setName(database).setShared(true)
        .setMaxWaitQueueSize(pg.maxPoolSize() * 256))
      .connectingTo(pg.connectOptions(database).setCachePreparedStatements(true).setPipeliningLimit(16))
      .using(vertx)
      .build();
  }

  public static Future<Void> ensureExists(Vertx vertx, PgConfig pg, String database) {
    if (!IDENTIFIER.matcher(database).matches()) {
      return Future.failedFuture(new IllegalArgumentException("bad database name: " + database));
    }
    Pool admin = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("admin-" + database))
      .connectingTo(pg.connectOptions("postgres")).using(vertx).build();
    return admin.preparedQuery("SELECT 1 FROM pg_database WHERE datname = $1").execute(Tuple.of(database))
      .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture() : create(admin, database))
      .eventually(admin::close);
  }

  private static Future<Void> create(SqlClient admin, String database) {
    // identifiers cannot be bound as parameters; the name was checked against IDENTIFIER above
    return admin.query("CREATE DATABASE \"" + database + "\"").execute()
      .<Void>mapEmpty()
      .onSuccess(v -> LOG.info("created database {}", database))
      .recover(err -> err instanceof PgException pe
        && (DUPLICATE_DATABASE.equals(pe.getSqlState()) || UNIQUE_VIOLATION.equals(pe.getSqlState()))
        ? Future.succeededFuture() : Future.failedFuture(err));
  }

  public static Future<Void> drop(Vertx vertx, PgConfig pg, String database) {
    if (!IDENTIFIER.matcher(database).matches()) {
      return Future.failedFuture(new IllegalArgumentException("bad database name: " + database));
    }
    Pool admin = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setName("admin-" + database))
      .connectingTo(pg.connectOptions("postgres")).using(vertx).build();
    return admin.query("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)").execute()
      .<Void>mapEmpty().eventually(admin::close);
  }

  /** Applies the kernel's and the service's migrations, off the event loop. */
  public static Future<Void> migrate(Vertx vertx, PgConfig pg, String database, String service) {
    return migrate(vertx, pg, database, service, List.of());
  }

  public static Future<Void> migrate(Vertx vertx, PgConfig pg, String database, String service,
                                     List<String> shared) {
    return vertx.executeBlocking(() -> {
      MigrateResult kernel = flyway(pg, database, "classpath:db/kernel", "kernel_schema_history").migrate();
      for (String schema : shared) {
        if (!IDENTIFIER.matcher(schema).matches()) {
          throw new IllegalArgumentException("bad shared schema name: " + schema);
        }
        flyway(pg, database, "classpath:db/" + schema, schema + "_schema_history").migrate();
      }
      MigrateResult own = flyway(pg, database, "classpath:db/" + service, "flyway_schema_history").migrate();
      LOG.info("database {} migrated: kernel +{}, {} +{}", database, kernel.migrationsExecuted, service,
        own.migrationsExecuted);
      return null;
    }, false);
  }

  private static Flyway flyway(PgConfig pg, String database, String location, String table) {
    return Flyway.configure()
      .dataSource(pg.jdbcUrl(database), pg.user(), pg.password().isEmpty() ? null : pg.password())
      .locations(location)
      .table(table)
      .baselineOnMigrate(true)
      .baselineVersion("0")
      .failOnMissingLocations(false)
      .load();
  }
}
