package io.webstore.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for engines that must be told their port before they start. */
final class FreePorts {

  private FreePorts() {}

  /**
   * Returns {@code count} distinct free ports on 127.0.0.1. They are free when this returns; another
   * process may take one before the engine binds it, a small race accepted for dev and tests.
   */
  static int[] pick(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        // All open at once, so the kernel cannot hand out the same port twice
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("devservices.ports could not reserve a free loopback port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        closeQuietly(socket);
      }
    }
  }

  static int pick() {
    return pick(1)[0];
  }

  private static void closeQuietly(ServerSocket socket) {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // the port is released either way
    }
  }
}
