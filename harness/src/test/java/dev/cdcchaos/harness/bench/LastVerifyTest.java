package dev.cdcchaos.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastVerifyTest {

  @TempDir Path project;

  private void report(String module, String kind, String suite, String time) throws Exception {
    Path dir = Files.createDirectories(project.resolve(module).resolve("target").resolve(kind));
    Files.writeString(
        dir.resolve("TEST-" + suite + ".xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite xmlns:xsi=\"x\" version=\"3.0\""
            + " name=\""
            + suite
            + "\" time=\""
            + time
            + "\" tests=\"1\" errors=\"0\" skipped=\"0\" failures=\"0\">\n"
            + "<properties/></testsuite>\n");
  }

  @Test
  void sumsTheSuitesOfEveryModuleAndNamesTheSlowest() throws Exception {
    report("pipeline", "surefire-reports", "a.UnitTest", "1.5");
    report("harness", "failsafe-reports", "b.MatrixIT", "476.756");
    report("conformance", "failsafe-reports", "c.ScenariosIT", "1,344.36");
    Map<String, Object> out = new LinkedHashMap<>();
    VerificationBench.lastVerify(project, out);
    assertThat(out.get("verify_tests_s")).isEqualTo(1823L);
    @SuppressWarnings("unchecked")
    Map<String, Long> slowest = (Map<String, Long>) out.get("verify_slowest_suites_s");
    assertThat(slowest.keySet()).containsExactly("c.ScenariosIT", "b.MatrixIT", "a.UnitTest");
    assertThat(out).containsKey("verify_reports_written");
  }

  @Test
  void leavesOutTheReportsOfTestClassesThatNoLongerExist() throws Exception {
    Path src = Files.createDirectories(project.resolve("harness/src/test/java/b"));
    Files.writeString(src.resolve("MatrixIT.java"), "package b; class MatrixIT {}");
    report("harness", "failsafe-reports", "b.MatrixIT", "400");
    report("harness", "failsafe-reports", "b.Outer$Nested", "10");
    Files.writeString(src.resolve("Outer.java"), "package b; class Outer { class Nested {} }");
    report("harness", "failsafe-reports", "b.RemovedIT", "364");
    Map<String, Object> out = new LinkedHashMap<>();
    VerificationBench.lastVerify(project, out);
    assertThat(out.get("verify_tests_s")).isEqualTo(410L);
    assertThat(out.get("verify_stale_reports_left_out"))
        .isEqualTo(java.util.List.of("b.RemovedIT"));
  }

  @Test
  void withoutReportsItSaysHowToGetThem() {
    Map<String, Object> out = new LinkedHashMap<>();
    VerificationBench.lastVerify(project, out);
    assertThat(out.get("verify_tests_s").toString())
        .startsWith("not measured")
        .contains("./mvnw -B verify");
  }
}
