package io.mediamesh.gateway.testing;

import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.common.runtime.ServiceModule;
import io.mediamesh.common.runtime.ServiceVerticle;
import io.mediamesh.common.runtime.VertxFactory;
import io.mediamesh.devstack.FreePorts;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Services and gateways co-located in the test's JVM on the class's real infrastructure (PostgreSQL, Redis, Kafka,
 * S3 from {@link TestInfra}), with a first admin, and helpers to get tokens through a gateway.
 */
public final class GatewayPlatform implements AutoCloseable {

  public static final String ADMIN_EMAIL = "admin@mediamesh.test";
  /** A test-only password, generated per run: never a constant credential. */
  public static final String ADMIN_PASSWORD = "Adm1n-" + UUID.randomUUID();

  private final Platform platform;
  private final PlatformConfig config;
  private final Map<String, Supplier<ServiceModule>> available;

  private GatewayPlatform(Platform platform, PlatformConfig config, Map<String, Supplier<ServiceModule>> available) {
    this.platform = platform;
    this.config = config;
    this.available = available;
  }

  /** Deploys one more service on the platform's Vertx (so a test can stop and start it); its deployment id. */
  public String deploy(String service) {
    ServiceVerticle verticle = new ServiceVerticle(available.get(service).get(), config, VertxFactory.newRegistry());
    return Await.result(platform.vertx().deployVerticle(verticle));
  }

  public void undeploy(String deploymentId) {
    Await.result(platform.vertx().undeploy(deploymentId));
  }

  /**
   * Starts {@code services}; the media service (if present) gets a fixed free port so the cms gateway can stream
   * uploads to it; {@code overlay} is merged last.
   */
  public static GatewayPlatform start(TestInfra infra, List<String> services, JsonObject overlay) {
    return start(infra, services, overlay, java.time.Clock.systemUTC());
  }

  /** As {@link #start(TestInfra, List, JsonObject)}, every service reading the time from {@code clock}. */
  public static GatewayPlatform start(TestInfra infra, List<String> services, JsonObject overlay,
                                      java.time.Clock clock) {
    JsonObject base = new JsonObject()
      .put("admin", new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD))
      .put("http", new JsonObject().put("host", "127.0.0.1"))
      .put("services", new JsonObject().put("media", new JsonObject().put("port", FreePorts.find("127.0.0.1"))));
    PlatformConfig config = infra.platformConfig(io.mediamesh.common.config.ConfigLoader.deepMerge(base, overlay));
    Map<String, Supplier<ServiceModule>> available = Platform.discover();
    return new GatewayPlatform(Await.result(Platform.start(config, Platform.select(available, services), clock)),
      config, available);
  }

  public Platform platform() {
    return platform;
  }

  /** The value of a gauge or counter of this platform's registry with the given tags (NaN when absent). */
  public double meter(String name, String... tags) {
    io.micrometer.core.instrument.search.Search found = platform.registry().find(name).tags(tags);
    io.micrometer.core.instrument.Gauge gauge = found.gauge();
    if (gauge != null) {
      return gauge.value();
    }
    io.micrometer.core.instrument.Counter counter = found.counter();
    return counter == null ? Double.NaN : counter.count();
  }

  public String url(String service) {
    return "http://127.0.0.1:" + platform.port(service);
  }

  /** A client of a gateway of this platform, checking against its contract ({@code cms-gateway}: cms-v1.yaml). */
  public ContractClient client(Vertx vertx, String gateway) {
    return ContractClient.create(vertx, url(gateway),
      ContractClient.contract(gateway.replace("-gateway", "") + "-v1.yaml"));
  }

  /** Logs the platform's admin in through a gateway and returns the access token. */
  public static String loginAdmin(ContractClient gateway) {
    return login(gateway, ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  /** Logs in through a gateway and returns the access token. */
  public static String login(ContractClient gateway, String email, String password) {
    ContractClient.Reply r = gateway.post("/api/v1/auth/login", null,
      new JsonObject().put("email", email).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("login of " + email + " answered " + r.status() + ": " + r.body());
    }
    return r.json().getString("accessToken");
  }

  /** Creates a user with a role through the cms gateway as {@code adminToken}, then logs in; returns its token. */
  public static String createUser(ContractClient cms, String adminToken, String email, String password, String role) {
    ContractClient.Reply r = cms.post("/api/v1/cms/users", adminToken, new JsonObject().put("email", email)
      .put("password", password).put("displayName", role.toLowerCase() + " user").put("role", role));
    if (r.status() != 201) {
      throw new AssertionError("create " + role + " answered " + r.status() + ": " + r.body());
    }
    return login(cms, email, password);
  }

  @Override
  public void close() {
    Await.result(platform.close());
  }
}
