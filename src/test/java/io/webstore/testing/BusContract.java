package io.webstore.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks every event-bus message of a store (JSON bodies; a serialized document sent as a {@link Buffer} is parsed)
 * against the shape its address declares in
 * {@code src/main/resources/bus/<address>.json}: {@code {"request": <JSON Schema>, "reply": <JSON Schema>}} (an event
 * that is only published declares its {@code request}, and a reply to it is a violation).
 *
 * <p>{@link #watch} adds one outbound interceptor to a store's event bus. It sees every message that store sends,
 * publishes or replies, whoever sent it (a verticle, a typed client, a test): a request or event is checked against
 * its address's {@code request}, and a reply (sent to the temporary reply address of a request this interceptor saw)
 * against the {@code reply} of the request's address. A message to an address with no declaration is a violation,
 * so a new address cannot go unchecked. Failure replies ({@link ReplyException}, a failure code and a message) are not
 * shapes and are exempt. Violations go to {@link ContractViolations}, which fails the test during which they were
 * seen. {@link Engines} watches the shared store and every store it starts, and so do the tests that start a store
 * themselves (from the moment it has started: what
 * the verticles send while starting is not seen), so the whole suite is the contract test of every address it
 * exercises; {@code BusContractTest} checks that every address constant has a declaration and drives the addresses
 * the HTTP tests do not reach through their clients against the real verticles.
 */
public final class BusContract {

  private static final String FOLDER = "bus";
  private static BusContract shared;

  private final Map<String, Shapes> declared;
  private final Set<String> exercised = ConcurrentHashMap.newKeySet();

  private record Shapes(Optional<Validator> request, Optional<Validator> reply) {
  }

  private BusContract(Map<String, Shapes> declared) {
    this.declared = declared;
  }

  /** The declarations of {@code src/main/resources/bus/}, read once per test JVM from the classpath. */
  public static synchronized BusContract shared() {
    if (shared == null) {
      shared = new BusContract(load());
    }
    return shared;
  }

  /** Every address with a declaration. */
  public Set<String> declaredAddresses() {
    return declared.keySet();
  }

  /** Every declared address that a watched store carried a message to so far. */
  public Set<String> exercisedAddresses() {
    return Set.copyOf(exercised);
  }

  /** Checks every message of this Vert.x instance's event bus from now on. */
  public void watch(Vertx vertx) {
    Map<String, String> pendingReplies = new ConcurrentHashMap<>();
    Handler<DeliveryContext<Object>> interceptor = delivery -> {
      try {
        check(delivery, pendingReplies);
      } finally {
        delivery.next();
      }
    };
    vertx.eventBus().addOutboundInterceptor(interceptor);
  }

  private void check(DeliveryContext<Object> delivery, Map<String, String> pendingReplies) {
    String address = delivery.message().address();
    Object body = delivery.body();
    String requestAddress = pendingReplies.remove(address);
    if (requestAddress != null) {
      if (!(body instanceof ReplyException)) {
        Shapes shapes = declared.get(requestAddress);
        validate(requestAddress, "reply", shapes == null ? Optional.empty() : shapes.reply(), body);
      }
      return;
    }
    if (address.startsWith("__vertx.")) {
      return; // Vert.x's own traffic (a reply to a request sent before the watch began)
    }
    String replyAddress = delivery.message().replyAddress();
    if (replyAddress != null) {
      pendingReplies.put(replyAddress, address);
    }
    Shapes shapes = declared.get(address);
    if (shapes == null) {
      ContractViolations.record("bus " + address + ": no declaration in src/main/resources/bus/" + address
          + ".json; message " + render(body));
      return;
    }
    exercised.add(address);
    validate(address, "request", shapes.request(), body);
  }

  private static void validate(String address, String part, Optional<Validator> shape, Object body) {
    if (shape.isEmpty()) {
      ContractViolations.record("bus " + address + ": declares no " + part + ", got " + render(body));
      return;
    }
    OutputUnit result = shape.get().validate(jsonValue(body));
    if (!result.getValid()) {
      ContractViolations.record("bus " + address + " " + part + " breaks its declaration: " + errors(result)
          + "; message " + render(body));
    }
  }

  /** A body as JSON: a serialized document (a {@link Buffer}, as {@code catalog.get} replies) is parsed first. */
  private static String errors(OutputUnit result) {
    if (result.getErrors() == null || result.getErrors().isEmpty()) {
      return String.valueOf(result.getError());
    }
    return result.getErrors().stream()
        .map(error -> error.getInstanceLocation() + " " + error.getError())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static Object jsonValue(Object body) {
    if (body instanceof Buffer buffer) {
      try {
        return Json.decodeValue(buffer);
      } catch (DecodeException e) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
    return body;
  }

  private static String render(Object body) {
    String text = String.valueOf(jsonValue(body));
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }

  private static Map<String, Shapes> load() {
    Path folder;
    try {
      folder = Path.of(BusContract.class.getClassLoader().getResource(FOLDER).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no " + FOLDER + "/ on the classpath", e);
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".json"))
          .collect(Collectors.toUnmodifiableMap(
              file -> file.getFileName().toString().replaceFirst("\\.json$", ""),
              file -> {
                JsonObject declaration = new JsonObject(read(file));
                String base = "app:///bus/" + file.getFileName();
                return new Shapes(
                    Optional.ofNullable(declaration.getJsonObject("request"))
                        .map(schema -> Validator.create(JsonSchema.of(schema), options(base))),
                    Optional.ofNullable(declaration.getJsonObject("reply"))
                        .map(schema -> Validator.create(JsonSchema.of(schema), options(base))));
              }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchemaOptions options(String base) {
    // Basic output: each error with where in the message it is, not only "invalid"
    return new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(base).setOutputFormat(OutputFormat.Basic);
  }

  private static String read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
