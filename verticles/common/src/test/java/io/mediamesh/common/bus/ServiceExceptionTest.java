package io.mediamesh.common.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceExceptionTest {

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCodeSurvivesTheBusWithItsStatusMessageAndDetails(ErrorCode code) {
    JsonObject details = new JsonObject().put("fields", new JsonObject().put("title", "must not be blank"));
    ReplyException onTheWire = new ServiceException(code, "what went wrong", details).toReplyException();
    assertThat(onTheWire.failureCode()).isEqualTo(code.status());
    ServiceException back = ServiceException.from(onTheWire);
    assertThat(back.code()).isEqualTo(code);
    assertThat(back.details()).isEqualTo(details);
    assertThat(back.getMessage()).isEqualTo("what went wrong");
  }

  @Test
  void busTransportFailuresMapToUnavailableAndTimeout() {
    assertThat(ServiceException.from(new ReplyException(ReplyFailure.NO_HANDLERS, "none")).code())
      .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(ServiceException.from(new ReplyException(ReplyFailure.TIMEOUT, "slow")).code())
      .isEqualTo(ErrorCode.TIMEOUT);
    assertThat(ErrorCode.UNAVAILABLE.status()).isEqualTo(503);
    assertThat(ErrorCode.TIMEOUT.status()).isEqualTo(504);
  }

  @Test
  void unexpectedFailuresDoNotLeakTheirMessage() {
    ServiceException e = ServiceException.from(new IllegalStateException("password=hunter2 at line 3"));
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.getMessage()).doesNotContain("hunter2");
    ServiceException foreign = ServiceException.from(
      new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "NullPointerException in Foo"));
    assertThat(foreign.getMessage()).isEqualTo("internal error");
  }

  @Test
  void statusesFollowTheContract() {
    assertThat(ErrorCode.VALIDATION.status()).isEqualTo(400);
    assertThat(ErrorCode.CONFLICT.status()).isEqualTo(409);
    assertThat(ErrorCode.PRECONDITION_FAILED.status()).isEqualTo(412);
    assertThat(ErrorCode.PAYLOAD_TOO_LARGE.status()).isEqualTo(413);
    assertThat(ErrorCode.UNSUPPORTED_MEDIA_TYPE.status()).isEqualTo(415);
    assertThat(ErrorCode.RATE_LIMITED.status()).isEqualTo(429);
    assertThat(ErrorCode.ofStatus(418)).isEqualTo(ErrorCode.INTERNAL);
    assertThat(ErrorCode.CONFLICT.isClientError()).isTrue();
    assertThat(ErrorCode.UNAVAILABLE.isClientError()).isFalse();
  }

  @Test
  void errorBodyHasTheOneShape() {
    JsonObject body = ErrorBody.of(ServiceException.validation("title", "must not be blank"), "abc123");
    JsonObject error = body.getJsonObject("error");
    assertThat(body.fieldNames()).containsExactly("error");
    assertThat(error.getString("code")).isEqualTo("validation_failed");
    assertThat(error.getString("message")).isEqualTo("title: must not be blank");
    assertThat(error.getJsonObject("details").getJsonObject("fields").getString("title"))
      .isEqualTo("must not be blank");
    assertThat(error.getString("traceId")).isEqualTo("abc123");
  }

  @Test
  void accessRulesGive401Then403() {
    Access editors = Access.roles(Role.ADMIN, Role.EDITOR);
    assertThatThrownBy(() -> editors.check(Caller.anonymous()))
      .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    assertThatThrownBy(() -> editors.check(Caller.of("u1", Role.USER)))
      .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    editors.check(Caller.of("u2", Role.EDITOR));
    Access.anyone().check(Caller.anonymous());
    assertThatThrownBy(() -> Access.authenticated().check(Caller.anonymous())).isInstanceOf(ServiceException.class);
  }

  @Test
  void callerSurvivesHeadersAndIgnoresUnknownRoles() {
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    Caller.of("u1", Role.EDITOR, Role.ADMIN).toHeaders(headers);
    assertThat(Caller.fromHeaders(headers)).isEqualTo(Caller.of("u1", Role.ADMIN, Role.EDITOR));
    headers.set(BusHeaders.CALLER_ROLES, "EDITOR,SUPERUSER");
    assertThat(Caller.fromHeaders(headers).roles()).containsExactly(Role.EDITOR);
    assertThat(Caller.fromHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap()).authenticated()).isFalse();
  }
}
