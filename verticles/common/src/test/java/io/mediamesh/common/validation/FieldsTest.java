package io.mediamesh.common.validation;

import io.mediamesh.common.bus.ErrorCode;
import io.mediamesh.common.bus.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldsTest {

  @Test
  void aLoneSurrogateIsRefusedNamingTheFieldWhileRealPairsPass() {
    // as JSON sends it: "\ud800" decodes to a lone high surrogate
    JsonObject body = new JsonObject("{\"title\": \"Broken \\ud800 title\", \"ok\": \"Emoji \\ud83c\\udfac fine\"}");
    Fields f = Fields.of(body);
    assertThat(f.text("ok", true, 100)).isEqualTo("Emoji \uD83C\uDFAC fine");
    f.text("title", true, 100);
    assertThatThrownBy(f::validate).isInstanceOf(ServiceException.class)
      .satisfies(e -> {
        ServiceException se = (ServiceException) e;
        assertThat(se.code()).isEqualTo(ErrorCode.VALIDATION);
        assertThat(se.details().getJsonObject("fields").getString("title")).contains("lone surrogate at character 7");
      });
    assertThat(Fields.loneSurrogate("\uDC00 low first")).isZero();
    assertThat(Fields.loneSurrogate("end \uD800")).isEqualTo(4);
    assertThat(Fields.loneSurrogate("plain")).isEqualTo(-1);
  }
}
