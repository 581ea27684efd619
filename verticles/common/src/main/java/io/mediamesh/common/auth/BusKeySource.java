package io.mediamesh.common.auth;

import com.nimbusds.jose.jwk.JWKSet;
import io.mediamesh.common.api.AuthApi;
import io.mediamesh.common.bus.BusClient;
import io.mediamesh.common.bus.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.text.ParseException;

/** Fetches the JWK set from the auth service over the event bus ({@code mediamesh.auth.jwks}). */
public final class BusKeySource implements KeySource {

  private final BusClient bus;

  public BusKeySource(BusClient bus) {
    this.bus = bus;
  }

  @Override
  public Future<JWKSet> fetch() {
    return bus.<JsonObject>request(AuthApi.JWKS, new JsonObject(), Caller.anonymous()).map(json -> {
      try {
        return JWKSet.parse(json.encode());
      } catch (ParseException e) {
        throw new IllegalStateException("auth service returned an unreadable JWK set: " + e.getMessage());
      }
    });
  }
}
