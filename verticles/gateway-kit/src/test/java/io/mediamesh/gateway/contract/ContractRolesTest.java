package io.mediamesh.gateway.contract;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.api.CmsApi;
import io.mediamesh.common.api.DiscoveryApi;
import io.mediamesh.common.api.IngestApi;
import io.mediamesh.common.api.MediaApi;
import io.mediamesh.common.api.PlaybackApi;
import io.mediamesh.common.api.ProcessingApi;
import io.mediamesh.common.api.MetadataApi;
import io.mediamesh.common.api.SearchApi;
import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles are declared once, on the service's operation ({@code common/api}), and the contracts name that operation
 * per endpoint ({@code x-bus}): this test walks both contracts and fails when an endpoint's {@code x-roles} are not
 * exactly the access of the operation it forwards to, or name an operation that does not exist. (That each route
 * really forwards to its {@code x-bus} is checked by the gateway when it mounts its routes.)
 */
class ContractRolesTest {

  private static final List<Class<?>> APIS = List.of(AuthApi.class, CmsApi.class, MetadataApi.class, MediaApi.class,
    ProcessingApi.class, PlaybackApi.class, IngestApi.class, SearchApi.class, DiscoveryApi.class);
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Test
  void everyEndpointHasTheRolesOfTheServiceOperationItForwardsTo() throws Exception {
    Map<String, Operation<?>> operations = operations();
    List<String> checked = new ArrayList<>();
    for (String file : List.of("cms-v1.yaml", "discovery-v1.yaml")) {
      JsonObject paths = ContractLimitsTest.load(file).getJsonObject("paths");
      for (String path : paths.fieldNames()) {
        JsonObject item = paths.getJsonObject(path);
        for (String method : item.fieldNames()) {
          if (!HTTP_METHODS.contains(method)) {
            continue;
          }
          JsonObject op = item.getJsonObject(method);
          String bus = op.getString("x-bus");
          if (bus == null) {
            continue;
          }
          String where = file + " " + method.toUpperCase() + " " + path + " (" + op.getString("operationId") + ")";
          assertThat(operations).as("%s: x-bus %s is no operation of common/api", where, bus).containsKey(bus);
          assertThat(access(op.getJsonArray("x-roles").getList())).as("%s: x-roles against %s", where, bus)
            .isEqualTo(operations.get(bus).access());
          checked.add(where);
        }
      }
    }
    // every forwarding endpoint of both gateways (all but the kernel's, the contract documents, GraphQL, the upload)
    assertThat(checked).hasSizeGreaterThanOrEqualTo(62);
  }

  @Test
  void theTranslationOfRolesCanTellThemApart() {
    assertThat(access(List.of("anonymous"))).isEqualTo(Access.anyone());
    assertThat(access(List.of("authenticated"))).isEqualTo(Access.authenticated());
    assertThat(access(List.of("ADMIN", "EDITOR"))).isEqualTo(Access.roles(Role.ADMIN, Role.EDITOR))
      .isNotEqualTo(Access.roles(Role.ADMIN));
  }

  /** The access an {@code x-roles} list declares, in the kernel's terms. */
  private static Access access(List<?> roles) {
    if (roles.equals(List.of("anonymous"))) {
      return Access.anyone();
    }
    if (roles.equals(List.of("authenticated"))) {
      return Access.authenticated();
    }
    Set<Role> set = EnumSet.noneOf(Role.class);
    roles.forEach(r -> set.add(Role.valueOf(String.valueOf(r))));
    return new Access(false, set);
  }

  private static Map<String, Operation<?>> operations() throws IllegalAccessException {
    Map<String, Operation<?>> byAddress = new HashMap<>();
    Set<String> names = new TreeSet<>();
    for (Class<?> api : APIS) {
      for (Field f : api.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && Operation.class.isAssignableFrom(f.getType())) {
          Operation<?> op = (Operation<?>) f.get(null);
          byAddress.put(op.address(), op);
          names.add(op.address());
        }
      }
    }
    assertThat(names).hasSizeGreaterThan(60);
    return byAddress;
  }
}
