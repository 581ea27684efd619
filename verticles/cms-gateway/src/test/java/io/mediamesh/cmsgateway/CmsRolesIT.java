package io.mediamesh.cmsgateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.gateway.testing.GatewayPlatform;
import io.mediamesh.testkit.InfraExtension;
import io.mediamesh.testkit.TestInfra;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC's role table, written out here independently of the contract, against every operation of the cms
 * gateway's contract × ADMIN / EDITOR / USER / anonymous: a caller outside the operation's roles gets 401
 * (anonymous) or 403, a caller inside never does. A new operation without a row here fails the test.
 */
@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CmsRolesIT {

  private static final Set<String> ANYONE = Set.of("ADMIN", "EDITOR", "USER", "anonymous");
  private static final Set<String> USERS = Set.of("ADMIN", "EDITOR", "USER");
  private static final Set<String> EDITORS = Set.of("ADMIN", "EDITOR");
  private static final Set<String> ADMINS = Set.of("ADMIN");

  /** SPEC "Roles": who may call each operation. */
  private static final Map<String, Set<String>> ROLES = new LinkedHashMap<>();

  static {
    for (String op : List.of("health", "ready", "metrics", "contract", "jwks", "login", "refresh", "tusOptions")) {
      ROLES.put(op, ANYONE);
    }
    ROLES.put("logout", USERS);
    ROLES.put("me", USERS);
    for (String op : List.of("listUsers", "createUser", "updateUser", "deleteProgram", "deleteEpisode", "deleteMedia",
      "reindexSearch", "listAllPlans", "createPlan", "updatePlan", "createGrant", "revokeGrant")) {
      ROLES.put(op, ADMINS);
    }
    for (String op : List.of("listPrograms", "createProgram", "getProgram", "updateProgram", "publishProgram",
      "unpublishProgram", "archiveProgram", "restoreProgram", "listEpisodes", "createEpisode", "getEpisode", "updateEpisode",
      "publishEpisode", "unpublishEpisode", "createMetadata", "getMetadata", "updateMetadata",
      "getMetadataByContent", "listMetadataVersions", "restoreMetadataVersion", "uploadMedia",
      "createTusUpload", "getTusUpload", "patchTusUpload", "terminateTusUpload",
      "createDirectUpload", "completeDirectUpload", "getMedia", "listMediaByContent", "createThumbnail",
      "createMediaImport", "getMediaImport",
      "listIngestJobs", "createIngestJob", "getIngestJob", "deleteIngestJob", "retryIngestJob",
      "listIngestSources", "createIngestSource", "deleteIngestSource", "searchStatus", "listProcessingJobs",
      "getProcessingJob", "processingJobEvents", "retryProcessingJob", "cancelProcessingJob", "createFramesJob",
      "getRights", "putRights")) {
      ROLES.put(op, EDITORS);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private GatewayPlatform platform;
  private ContractClient cms;
  private final Map<String, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  void start(TestInfra infra) {
    JsonObject gateway = new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"));
    platform = GatewayPlatform.start(infra, List.of("auth", "cms", "metadata", "media", "processing", "ingest",
      "playback", "cms-gateway"),
      new JsonObject().put("services", new JsonObject().put("cms-gateway", gateway)));
    cms = platform.client(vertx, "cms-gateway");
    String admin = GatewayPlatform.loginAdmin(cms);
    tokens.put("ADMIN", admin);
    tokens.put("EDITOR", GatewayPlatform.createUser(cms, admin, "editor@roles.test", "Edit0r-pass-1", "EDITOR"));
    tokens.put("USER", GatewayPlatform.createUser(cms, admin, "user@roles.test", "Us3r-pass-12", "USER"));
    tokens.put("anonymous", null);
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    vertx.close();
  }

  @Test
  void everyOperationTimesEveryRole() {
    List<String> operations = cms.contract().operations().stream().map(Operation::getOperationId).toList();
    assertThat(ROLES.keySet()).as("the role table covers exactly the contract's operations")
      .containsExactlyInAnyOrderElementsOf(operations);
    AtomicInteger address = new AtomicInteger();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Operation op : cms.contract().operations()) {
      for (Map.Entry<String, String> role : tokens.entrySet()) {
        String path = op.getOpenAPIPath().replace("{id}", UUID.randomUUID().toString())
          .replace("{contentId}", UUID.randomUUID().toString()).replace("{version}", "1")
          .replace("{grantId}", UUID.randomUUID().toString()).replace("{contentType}", "program");
        String body = op.getRequestBody() == null ? null : "{}";
        // each request from its own address, so per-IP limits stay out of the way of the role checks
        ContractClient.Reply r = cms.send(op.getHttpMethod().name(), path, role.getValue(), body,
          Map.of("X-Forwarded-For", "192.0.2." + (address.incrementAndGet() % 250 + 1)));
        boolean allowed = ROLES.get(op.getOperationId()).contains(role.getKey());
        int expected = role.getValue() == null ? 401 : 403;
        boolean ok = allowed ? r.status() != 403 && (r.status() != 401 || credentialCheck(op)) : r.status() == expected;
        if (!ok) {
          wrong.add(op.getOperationId() + " as " + role.getKey() + ": " + r.status() + " " + r.body());
        }
        checked++;
      }
    }
    assertThat(wrong).as("operations answering the wrong status for a role").isEmpty();
    assertThat(checked).isEqualTo(operations.size() * 4);
  }

  /**
   * Login and refresh answer 401 for the made-up credentials this test sends, and metrics for want of the operator
   * token (no user's token is one, whatever the role): that is not a role refusal.
   */
  private static boolean credentialCheck(Operation op) {
    return Set.of("login", "refresh", "metrics").contains(op.getOperationId());
  }
}
