package dev.cdcchaos.harness.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Toxiproxy toxic types this server implements, with their attribute names (all integers,
 * default 0, as in Toxiproxy's Go structs).
 */
enum ToxicKind {
  LATENCY("latency", List.of("latency", "jitter")),
  BANDWIDTH("bandwidth", List.of("rate")),
  SLOW_CLOSE("slow_close", List.of("delay")),
  TIMEOUT("timeout", List.of("timeout")),
  RESET_PEER("reset_peer", List.of("timeout")),
  SLICER("slicer", List.of("average_size", "size_variation", "delay")),
  LIMIT_DATA("limit_data", List.of("bytes"));

  private final String wireName;
  private final List<String> attributes;

  ToxicKind(String wireName, List<String> attributes) {
    this.wireName = wireName;
    this.attributes = attributes;
  }

  String wireName() {
    return wireName;
  }

  List<String> attributes() {
    return attributes;
  }

  Map<String, Long> defaults() {
    Map<String, Long> values = new LinkedHashMap<>();
    attributes.forEach(name -> values.put(name, 0L));
    return values;
  }

  static ToxicKind parse(String text) {
    for (ToxicKind kind : values()) {
      if (kind.wireName.equals(text)) {
        return kind;
      }
    }
    throw new ApiException(400, "invalid toxic type");
  }
}
