package dev.cdcchaos.pipeline.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** How the consumer tells a failure for want of space, on which it waits, from any other. */
class NoSpaceTest {

  @Test
  void aLakeWriteOnAFullFileSystemIsToldApart() {
    RuntimeException e =
        new UncheckedIOException(
            "cannot write lake file /w/lake/orders/date=2026-12-03/x.parquet",
            new IOException("No space left on device"));
    assertThat(ConsumerService.noSpace(e)).contains("No space left on device");
  }

  @Test
  void anyOtherFailureIsNotOne() {
    RuntimeException e =
        new UncheckedIOException("cannot write lake file", new IOException("Permission denied"));
    assertThat(ConsumerService.noSpace(e)).isEmpty();
  }
}
