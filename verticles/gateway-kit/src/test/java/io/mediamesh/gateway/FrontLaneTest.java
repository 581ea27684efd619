package io.mediamesh.gateway;

import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which requests the front lane takes: a prefix of the raw path, one segment after it, open operations only. */
class FrontLaneTest {

  private static final FastPath NEVER = (value, caller) -> null;
  private static Vertx vertx;
  private static OpenAPIContract discovery;
  private static OpenAPIContract cms;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    discovery = Await.result(OpenAPIContract.from(vertx, ContractClient.contract("discovery-v1.yaml").toString()));
    cms = Await.result(OpenAPIContract.from(vertx, ContractClient.contract("cms-v1.yaml").toString()));
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  private static String add(FrontLane lane, OpenAPIContract contract, String operationId) {
    Operation op = contract.operation(operationId);
    return lane.add(op, OperationPolicy.of(op), NEVER);
  }

  @Test
  void aDetailIsMatchedByItsPrefixAndOneSegment() {
    FrontLane lane = new FrontLane(null, null, false);
    assertThat(add(lane, discovery, "getProgram")).isEqualTo("id");
    assertThat(add(lane, discovery, "getEpisode")).isEqualTo("id");
    assertThat(lane.isEmpty()).isFalse();
    assertThat(lane.match("/api/v1/discovery/programs/abc"))
      .isEqualTo(new FrontLane.Match("/api/v1/discovery/programs/", "abc"));
    assertThat(lane.match("/api/v1/discovery/episodes/e-1"))
      .isEqualTo(new FrontLane.Match("/api/v1/discovery/episodes/", "e-1"));
    // another operation's path, an empty segment, a deeper path: the router's
    assertThat(lane.match("/api/v1/discovery/programs/abc/episodes")).isNull();
    assertThat(lane.match("/api/v1/discovery/programs/")).isNull();
    assertThat(lane.match("/api/v1/discovery/programs")).isNull();
    assertThat(lane.match("/api/v1/discovery/categories")).isNull();
  }

  @Test
  void onlyAGetWhoseOnlyParameterEndsItsPathCanHaveAFastPath() {
    FrontLane lane = new FrontLane(null, null, false);
    assertThatThrownBy(() -> add(lane, discovery, "listPrograms")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("listPrograms");
    assertThatThrownBy(() -> add(lane, discovery, "listProgramEpisodes")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> add(lane, discovery, "recordView")).isInstanceOf(IllegalArgumentException.class);
    assertThat(lane.isEmpty()).isTrue();
  }

  @Test
  void anOperationClosedToAnonymousCallersHasNoLane() {
    FrontLane lane = new FrontLane(null, null, false);
    // its probe is still asked by the pipeline, after the caller's token and roles
    assertThat(add(lane, cms, "getProgram")).isEqualTo("id");
    assertThat(lane.isEmpty()).isTrue();
    assertThat(lane.match("/api/v1/cms/programs/abc")).isNull();
  }
}
