package dev.cdcchaos.harness;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The oracle owes nothing to the code under test: the checkers, the oracle's model, the observation
 * code and the history use no class of the pipeline module. A bug in shared code would sit on both
 * sides of every comparison and pass. (The runner may call the pipeline, e.g. its replay, which is
 * a feature under test; it lives in {@code run}.)
 */
@AnalyzeClasses(
    packages = "dev.cdcchaos.harness",
    importOptions = ImportOption.DoNotIncludeTests.class)
class OracleIndependenceTest {

  @ArchTest
  static final ArchRule ORACLE_USES_NO_PIPELINE_CLASS =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.cdcchaos.harness.check..",
              "dev.cdcchaos.harness.model..",
              "dev.cdcchaos.harness.observe..",
              "dev.cdcchaos.harness.history..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.cdcchaos.pipeline..")
          .because(
              "the oracle's expected state must be computed by harness code from raw observations,"
                  + " never by the pipeline under test (docs/envelope.md, ARCHITECTURE.md)");
}
