package dev.cdcchaos.harness.infra;

/** A child JVM for {@link JavaProcessIT}: prints a counter every 20 ms, so pauses are visible. */
public final class TickingMain {
  private TickingMain() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("args=" + String.join(",", args) + " env=" + System.getenv("TICK_ENV"));
    for (long i = 0; ; i++) {
      System.out.println("tick " + i);
      System.out.flush();
      Thread.sleep(20);
    }
  }
}
