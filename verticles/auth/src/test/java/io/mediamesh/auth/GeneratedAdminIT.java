package io.mediamesh.auth;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.common.config.PlatformConfig;
import io.mediamesh.common.runtime.Platform;
import io.mediamesh.testkit.Await;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's first start: no {@code MEDIAMESH_ADMIN_*} and no admin in the database. The platform makes an admin
 * with a generated password kept owner-only under the secrets directory, and a restart keeps using it.
 */
@ExtendWith(InfraExtension.class)
class GeneratedAdminIT {

  @Test
  void aFirstStartWithoutAnAdminMakesOneWhosePasswordIsInAnOwnerOnlyFile(TestInfra infra, @TempDir Path secrets)
    throws Exception {
    PlatformConfig config = infra.platformConfig(new JsonObject()
      .put("admin", new JsonObject().put("email", "").put("password", ""))
      .put("auth", new JsonObject().put("devSecretsDir", secrets.toString()).put("argon2MemoryKib", 8192)
        .put("argon2Iterations", 1)));
    String first;
    Platform platform = Await.result(Platform.start(config, List.of(AuthModule::new)));
    try {
      Path file = secrets.resolve("admin.password");
      assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      first = Files.readString(file).strip();
      assertThat(first).hasSizeGreaterThanOrEqualTo(32);
      JsonObject tokens = Await.result(new BusClient(platform.vertx(), 10_000).request(AuthApi.LOGIN,
        new JsonObject().put("email", AdminBootstrap.GENERATED_ADMIN).put("password", first), Caller.anonymous()));
      assertThat(tokens.getString("accessToken")).isNotBlank();
    } finally {
      Await.result(platform.close());
    }
    // a restart neither makes another admin nor another password
    Platform again = Await.result(Platform.start(config, List.of(AuthModule::new)));
    try {
      assertThat(Files.readString(secrets.resolve("admin.password")).strip()).isEqualTo(first);
      JsonObject tokens = Await.result(new BusClient(again.vertx(), 10_000).request(AuthApi.LOGIN,
        new JsonObject().put("email", AdminBootstrap.GENERATED_ADMIN).put("password", first), Caller.anonymous()));
      assertThat(tokens.getString("refreshToken")).isNotBlank();
    } finally {
      Await.result(again.close());
    }
  }
}
