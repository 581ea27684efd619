package io.mediamesh.common.observability;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

  @Test
  void parsesAValidHeaderAndContinuesTheTraceWithANewSpan() {
    String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    TraceContext parsed = TraceContext.parse(header);
    assertThat(parsed.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parsed.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(parsed.sampled()).isTrue();
    assertThat(parsed.header()).isEqualTo(header);
    TraceContext child = TraceContext.parseOrRoot(header);
    assertThat(child.traceId()).isEqualTo(parsed.traceId());
    assertThat(child.spanId()).isNotEqualTo(parsed.spanId()).hasSize(16);
  }

  @Test
  void rejectsInvalidHeadersAndStartsANewTrace() {
    assertThat(TraceContext.parse(null)).isNull();
    assertThat(TraceContext.parse("garbage")).isNull();
    assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
    assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isNull();
    assertThat(TraceContext.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isNull();
    assertThat(TraceContext.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")).isNull();
    TraceContext root = TraceContext.parseOrRoot("garbage");
    assertThat(root.header()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
  }

  @Test
  void unsampledFlagIsKept() {
    TraceContext t = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    assertThat(t.sampled()).isFalse();
    assertThat(t.child().header()).endsWith("-00");
  }
}
