package io.webstore.dev;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Starts {@link DevServices} in a JVM of its own for {@code DevServicesTest}, which kills that JVM
 * with SIGKILL and checks that the engines' child processes die too. Prints
 * {@code DEVSERVICES_PROBE node=<pid> redis=<pid>} once ready, then runs until stdin closes.
 */
public final class DevServicesProbe {

  static final String READY_PREFIX = "DEVSERVICES_PROBE ";

  private DevServicesProbe() {}

  public static void main(String[] args) throws IOException {
    try (DevServices services = DevServices.start(DevServices.Options.inMemory())) {
      System.out.println(READY_PREFIX + "node=" + services.dynamoPid() + " redis=" + services.redisPid());
      System.out.flush();
      System.in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
