package io.mediamesh.gateway;

import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Role;
import io.mediamesh.gateway.testing.ContractClient;
import io.mediamesh.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the router reads from each operation of the contracts: roles, rate-limit class, the bus operation. */
class OperationPolicyTest {

  private static Vertx vertx;
  private static OpenAPIContract discovery;
  private static OpenAPIContract cms;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    discovery = contract("discovery-v1.yaml");
    cms = contract("cms-v1.yaml");
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  private static OpenAPIContract contract(String name) {
    return Await.result(OpenAPIContract.from(vertx, ContractClient.contract(name).toString()));
  }

  @Test
  void aPublicReadIsOpenToAnyoneInTheReadsClassAndNamesItsBusOperation() {
    OperationPolicy policy = OperationPolicy.of(discovery.operation("getProgram"));
    assertThat(policy.access()).isEqualTo(Access.anyone());
    assertThat(policy.rateLimit()).isEqualTo(RatePolicies.READS);
    assertThat(policy.bus()).isEqualTo(DiscoveryApi.PROGRAMS_GET.address());
  }

  @Test
  void rolesBecomeTheKernelsAccess() {
    assertThat(OperationPolicy.of(cms.operation("deleteProgram")).access()).isEqualTo(Access.roles(Role.ADMIN));
    assertThat(OperationPolicy.of(cms.operation("getProgram")).access())
      .isEqualTo(Access.roles(Role.ADMIN, Role.EDITOR));
    assertThat(OperationPolicy.of(discovery.operation("me")).access()).isEqualTo(Access.authenticated());
    assertThat(OperationPolicy.of(cms.operation("updateProgram")).rateLimit()).isEqualTo(RatePolicies.WRITES);
  }

  @Test
  void aRouteMayForwardOnlyToTheOperationItsContractNames() {
    OperationPolicy policy = OperationPolicy.of(cms.operation("getProgram"));
    policy.checkForwardsTo(CmsApi.PROGRAM_GET);
    assertThatThrownBy(() -> policy.checkForwardsTo(CmsApi.EPISODE_GET))
      .isInstanceOf(IllegalStateException.class)
      .hasMessageContaining("getProgram").hasMessageContaining(CmsApi.EPISODE_GET.address())
      .hasMessageContaining(CmsApi.PROGRAM_GET.address());
    // without x-bus (the contract document) nothing is checked
    OperationPolicy document = OperationPolicy.of(cms.operation("contract"));
    assertThat(document.bus()).isNull();
    document.checkForwardsTo(CmsApi.PROGRAM_GET);
  }
}
