package io.mediamesh.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving a test class real infrastructure through a {@link TestInfra} parameter (constructor,
 * {@code @BeforeAll}, {@code @BeforeEach} or test method): fresh PostgreSQL databases, an isolated Redis database,
 * the in-process Kafka broker and S3 store. Everything the class created is removed after it.
 */
public final class InfraExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(InfraExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    TestInfra infra = new TestInfra();
    infra.flushRedis();
    context.getStore(NS).put(TestInfra.class, infra);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestInfra infra = context.getStore(NS).remove(TestInfra.class, TestInfra.class);
    if (infra != null) {
      infra.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestInfra.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getStore(NS).get(TestInfra.class) == null && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(NS).get(TestInfra.class, TestInfra.class);
  }
}
