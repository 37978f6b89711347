package io.webstore.platform.ratelimit;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Optional;

/** Who a request comes from, for limits and fraud scoring. */
public final class ClientAddress {

  private static final int LONGEST = 64;

  private ClientAddress() {}

  /**
   * The last entry of the trusted proxy's header (the one the proxy itself added; what the client wrote before it can
   * be forged), when that header ({@code http.trustedProxyHeader}) is configured and present; else the socket's peer.
   */
  public static String of(HttpServerRequest request, Optional<String> trustedProxyHeader) {
    if (trustedProxyHeader.isPresent()) {
      String forwarded = request.getHeader(trustedProxyHeader.get());
      if (forwarded != null && !forwarded.isBlank()) {
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
        if (!last.isEmpty() && last.length() <= LONGEST) {
          return last;
        }
      }
    }
    // the connection's peer: behind a router, the request's own remoteAddress() first works out the forwarded
    // address (scheme, host and port too), which the router is not configured to trust, so it is this peer anyway
    SocketAddress peer = request.connection() == null ? request.remoteAddress() : request.connection().remoteAddress();
    return peer == null ? "unknown" : peer.hostAddress();
  }
}
