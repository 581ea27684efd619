package io.mediamesh.cms.domain;

/** Content after a change, and the {@code content.*} event that announces it. */
public record Change<T>(T next, String event) {
}
