package dev.cdcchaos.harness.net;

/** An error the Toxiproxy API answers with: an HTTP status and Toxiproxy's error message. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException proxyNotFound() {
    return new ApiException(404, "proxy not found");
  }

  static ApiException toxicNotFound() {
    return new ApiException(404, "toxic not found");
  }

  static ApiException badBody(String detail) {
    return new ApiException(400, "bad request body: " + detail);
  }
}
