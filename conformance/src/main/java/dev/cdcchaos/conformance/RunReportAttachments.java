package dev.cdcchaos.conformance;

import dev.cdcchaos.harness.report.ReportWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.MediaType;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Attaches a run's {@code report.html} (and {@code results.json}) to the test that ran it, so the
 * JUnit Open Test Reporting XML of {@code mvn verify} links each scenario test to its report. A
 * dynamic test's body has no extension context of its own; this interceptor lends it one while the
 * test runs, on the test's thread.
 */
public final class RunReportAttachments implements InvocationInterceptor {

  private static final ThreadLocal<ExtensionContext> CURRENT = new ThreadLocal<>();

  @Override
  public void interceptDynamicTest(
      Invocation<Void> invocation,
      DynamicTestInvocationContext invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    around(invocation, extensionContext);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    around(invocation, extensionContext);
  }

  private static void around(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    CURRENT.set(context);
    try {
      invocation.proceed();
    } finally {
      CURRENT.remove();
    }
  }

  /**
   * Attaches the report files of {@code runDir} to the running test, under {@code prefix} (e.g. the
   * variant) so two runs of one test keep both; does nothing outside an intercepted test.
   */
  public static void attach(Path runDir, String prefix) {
    ExtensionContext context = CURRENT.get();
    if (context == null) {
      return;
    }
    attach(context, runDir.resolve(ReportWriter.HTML), prefix, MediaType.create("text", "html"));
    attach(context, runDir.resolve(ReportWriter.RESULTS), prefix, MediaType.APPLICATION_JSON);
  }

  private static void attach(ExtensionContext c, Path file, String prefix, MediaType type) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    c.publishFile(
        prefix + "-" + file.getFileName(),
        type,
        target -> Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING));
  }
}
