package io.mediamesh.gateway;

import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.Caller;
import io.mediamesh.gateway.resilience.Downstream;
import io.vertx.core.json.JsonObject;

/** The auth routes both gateways serve (SPEC "Both gateways"), and registration where the contract has it. */
public final class AuthRoutes {

  private AuthRoutes() {
  }

  public static void register(GatewayRouter gw) {
    Downstream auth = gw.downstream(AuthApi.SERVICE);
    OperationHandler login = Forward.command(auth, AuthApi.LOGIN).with(GatewayRequest::body);
    gw.handle("login", req -> gw.ratePolicies().inFlight(req.clientIp(), () -> login.handle(req)));
    gw.handle("refresh", Forward.command(auth, AuthApi.REFRESH).with(GatewayRequest::body));
    gw.handle("logout", Forward.command(auth, AuthApi.LOGOUT).with(GatewayRequest::body).status(204));
    gw.handle("me", Forward.query(auth, AuthApi.ME));
    gw.handle("jwks", req -> auth.<JsonObject>request(AuthApi.JWKS, new JsonObject(), Caller.anonymous(), true)
      .map(keys -> Reply.ok(keys).header("Cache-Control", "public, max-age=300")));
    if (gw.contract().operation("register") != null) {
      gw.handle("register", Forward.command(auth, AuthApi.REGISTER).with(GatewayRequest::body).status(201));
    }
  }
}
