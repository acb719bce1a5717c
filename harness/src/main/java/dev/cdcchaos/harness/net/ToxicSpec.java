package dev.cdcchaos.harness.net;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One toxic as the API knows it. Immutable: an update makes a new spec with the same name, which
 * live connections pick up by name.
 */
record ToxicSpec(
    String name,
    ToxicKind kind,
    StreamDirection stream,
    float toxicity,
    Map<String, Long> attributes) {

  ToxicSpec {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  long attribute(String attribute) {
    Long value = attributes.get(attribute);
    return value == null ? 0L : value;
  }

  ToxicSpec with(float newToxicity, Map<String, Long> changedAttributes) {
    Map<String, Long> merged = new LinkedHashMap<>(attributes);
    merged.putAll(changedAttributes);
    return new ToxicSpec(name, kind, stream, newToxicity, merged);
  }
}
