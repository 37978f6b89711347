package io.webstore.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.webstore.testing.Engines;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * The ceiling of {@code make bench}: a bare Vert.x HTTP server in a JVM of its own that answers every request with the
 * store's own product document, held in memory. It runs as many server verticles as the store runs HTTP verticles by
 * default (one per core), on the same Vert.x. Args: the document's file and its content type, and optionally {@code
 * --log-each-request}: print one line per request to stdout, about as long as the store's access-log line (for {@link
 * GeneratorCost}, which measures what a child's output costs the bench's JVM). Prints {@code CEILING_READY port=<n>},
 * then runs until its stdin closes.
 */
public final class CeilingServer {

  private CeilingServer() {}

  public static void main(String[] args) throws IOException {
    Buffer document = Buffer.buffer(Files.readAllBytes(Path.of(args[0])));
    String contentType = args[1];
    boolean logEachRequest = args.length > 2 && args[2].equals("--log-each-request");
    int instances = Runtime.getRuntime().availableProcessors();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    // every instance listens on the same port: Vert.x spreads the connections over their event loops
    Engines.await(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .requestHandler(request -> {
              request.response().putHeader("Content-Type", contentType).end(document);
              if (logEachRequest) {
                System.out.println(Instant.now() + " INFO  [" + Thread.currentThread().getName()
                    + "] io.webstore.access - http.access request=" + UUID.randomUUID() + " method="
                    + request.method() + " route=" + request.path() + " status=200 duration_ms=0");
              }
            })
            .listen();
      }
    }, new DeploymentOptions().setInstances(instances)));
    System.out.println("CEILING_READY port=" + port + " instances=" + instances);
    System.out.flush();
    System.in.transferTo(OutputStream.nullOutputStream());
    Engines.await(vertx.close());
  }
}
