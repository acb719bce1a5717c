package dev.cdcchaos.harness.infra.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The main class of a broker JVM: formats the node's storage on its first start ({@code
 * kafka.tools.StorageTool format}), then runs {@code kafka.Kafka server.properties}. Formatting in
 * the broker's own JVM loads the Kafka classes once instead of twice, which saves a second or two
 * per start. Arguments: the cluster id and the properties file.
 */
public final class KafkaServerMain {
  private KafkaServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: KafkaServerMain <cluster-id> <server.properties>");
      System.exit(2);
    }
    String clusterId = args[0];
    String properties = args[1];
    Properties config = new Properties();
    try (var in = Files.newInputStream(Path.of(properties))) {
      config.load(in);
    }
    Path logDir = Path.of(config.getProperty("log.dirs").split(",")[0]);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      int code =
          kafka.tools.StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", properties, "--ignore-formatted"},
              System.out);
      if (code != 0) {
        System.err.println("formatting " + logDir + " failed with exit code " + code);
        System.exit(code);
      }
    }
    kafka.Kafka.main(new String[] {properties});
  }
}
