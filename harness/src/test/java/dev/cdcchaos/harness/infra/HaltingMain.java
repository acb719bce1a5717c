package dev.cdcchaos.harness.infra;

import java.io.File;
import java.io.IOException;

/**
 * A child JVM for {@link JavaProcessIT}: unpacks a "native library" into {@code java.io.tmpdir} the
 * way DuckDB does (a temp file deleted on exit), says where, and halts like a crash point, so the
 * delete-on-exit never runs.
 */
public final class HaltingMain {
  private HaltingMain() {}

  public static void main(String[] args) throws IOException {
    File lib = File.createTempFile("libfake_native", ".so");
    lib.deleteOnExit();
    System.out.println("unpacked " + lib.getAbsolutePath());
    System.out.flush();
    Runtime.getRuntime().halt(3);
  }
}
