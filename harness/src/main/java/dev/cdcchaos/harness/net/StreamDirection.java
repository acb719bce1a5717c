package dev.cdcchaos.harness.net;

import java.util.Locale;

/** Which half of a proxied connection a toxic acts on, named as Toxiproxy names them. */
enum StreamDirection {
  /** Client to upstream server. */
  UPSTREAM,
  /** Upstream server to client. */
  DOWNSTREAM;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static StreamDirection parse(String text) {
    for (StreamDirection direction : values()) {
      if (direction.wireName().equals(text)) {
        return direction;
      }
    }
    throw new ApiException(400, "stream was invalid, can be either upstream or downstream");
  }
}
