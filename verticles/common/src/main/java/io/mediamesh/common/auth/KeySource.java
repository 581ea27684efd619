package io.mediamesh.common.auth;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;

/** Where a verifier gets the public keys (a JWK set) that access tokens may be signed with. */
@FunctionalInterface
public interface KeySource {
  Future<JWKSet> fetch();
}
