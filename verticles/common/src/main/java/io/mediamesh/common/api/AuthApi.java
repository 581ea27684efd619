package io.mediamesh.common.api;

import io.mediamesh.common.bus.Access;
import io.mediamesh.common.bus.Addresses;
import io.mediamesh.common.bus.Operation;
import io.mediamesh.common.bus.Role;

/**
 * The auth service's event-bus API (request/reply, JSON bodies; failures are coded as in {@code ErrorCode}).
 * Access: "anyone" needs no token; "user" needs a valid access token; "admin" needs the ADMIN role.
 * <pre>
 * address                         access   request                                   reply
 * mediamesh.auth.register         anyone   {email, password, displayName}            User
 * mediamesh.auth.login            anyone   {email, password}                         Tokens
 * mediamesh.auth.refresh          anyone   {refreshToken}                            Tokens (the token sent is spent)
 * mediamesh.auth.logout           user     {refreshToken}                            {} (its family is revoked)
 * mediamesh.auth.me               user     {}                                        User
 * mediamesh.auth.jwks             anyone   {}                                        {keys: [JWK...]} (public keys)
 * mediamesh.auth.users.list       admin    {page?, size?, role?}                     {items: [User], page, size, total}
 * mediamesh.auth.users.create     admin    {email, password, displayName, role}      User
 * mediamesh.auth.users.update     admin    {id, role?, disabled?, displayName?}      User
 * mediamesh.auth.keys.rotate      admin    {}                                        {kid} (the new signing key)
 * mediamesh.auth.service-token    anyone   {clientId, clientSecret}                  ServiceToken
 * mediamesh.auth.revocations      anyone   {sinceMs}                                 {items: [Revocation]}
 * mediamesh.auth.revoked          (a publish, no reply)                              Revocation
 *
 * User         = {id, email, displayName, role: ADMIN|EDITOR|USER, disabled, createdAt, updatedAt, version}
 * Tokens       = {accessToken, refreshToken, tokenType: "Bearer", expiresIn (seconds)}
 * ServiceToken = {accessToken, tokenType: "Bearer", expiresIn (seconds)}: no refresh token; ask again
 * Revocation   = {userId, validAfterMs}: that user's access tokens issued before it are refused everywhere
 * </pre>
 * {@code service-token} is for services acting on their own (ingest running a scheduled import): each configured
 * service client ({@code auth.serviceClients.<clientId>}, its secret) has a service account, a user with role
 * EDITOR that cannot log in with a password, and gets access tokens of it. An admin disabling that user cuts the
 * client off. Internal: the gateways do not expose it.
 * Failures: 400 validation (details.fields names each field), 401 bad credentials or token (login never says
 * which part was wrong; a wrong client secret, an unknown client and a disabled service account answer alike),
 * 403 role, 404 unknown user, 409 e-mail already registered.
 */
public final class AuthApi {
  public static final String SERVICE = "auth";
  private static final Access ADMINS = Access.roles(Role.ADMIN);
  private static final Access ANYONE = Access.anyone();
  private static final Access AUTHENTICATED = Access.authenticated();
  public static final Operation<Operation.Json> REGISTER = Operation.of(SERVICE, "register", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> LOGIN = Operation.of(SERVICE, "login", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> REFRESH = Operation.of(SERVICE, "refresh", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> LOGOUT = Operation.of(SERVICE, "logout", AUTHENTICATED, Operation.Json::from);
  public static final Operation<Operation.Json> ME = Operation.of(SERVICE, "me", AUTHENTICATED, Operation.Json::from);
  public static final Operation<Operation.Json> JWKS = Operation.of(SERVICE, "jwks", ANYONE, Operation.Json::from);
  public static final Operation<Operation.Json> USERS_LIST = Operation.of(SERVICE, "users.list", ADMINS, Operation.Json::from);
  public static final Operation<Operation.Json> USERS_CREATE = Operation.of(SERVICE, "users.create", ADMINS, Operation.Json::from);
  public static final Operation<Operation.Json> USERS_UPDATE = Operation.of(SERVICE, "users.update", ADMINS, Operation.Json::from);
  public static final Operation<Operation.Json> KEYS_ROTATE = Operation.of(SERVICE, "keys.rotate", ADMINS, Operation.Json::from);
  public static final Operation<Operation.Json> SERVICE_TOKEN = Operation.of(SERVICE, "service-token", ANYONE, Operation.Json::from);
  /** Cut-offs changed since {@code sinceMs}: what a verifier loads when it starts and polls as a safety net. */
  public static final Operation<Operation.Json> REVOCATIONS = Operation.of(SERVICE, "revocations", ANYONE, Operation.Json::from);
  /** Published (to every node of the cluster) when a user's cut-off moves: disable, role change, logout, reuse. */
  public static final String REVOKED = Addresses.of(SERVICE, "revoked");

  private AuthApi() {
  }

  /** The operation part of an address (what {@code BusService.handle} takes). */
  public static String operation(Operation<?> operation) {
    return operation.name();
  }
}
