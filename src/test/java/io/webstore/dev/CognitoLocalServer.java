package io.webstore.dev;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cognito-local (a Cognito user-pool API on Node) as a child process, run from {@code dev/cognito-local-server.js} in
 * a working directory of its own, where it keeps its state ({@code .cognito/db}). The wrapper exits when its stdin, a
 * pipe held by this JVM, reaches EOF, so it dies with the JVM even on {@code kill -9}.
 *
 * <p>{@link #provision} makes what the store needs, idempotently (a persistent working directory keeps it across
 * runs): a user pool whose users are named by email and confirmed by an emailed code, a public app client and one with
 * a secret (both with {@code USER_PASSWORD_AUTH} and refresh tokens), the {@code admin} group and the dev admin
 * account in it. cognito-local only prints the confirmation codes it "sends"; {@link #confirmationCode} reads them
 * from its state files instead (the printed lines can reach the pipe late). Blocking: call from a main or test
 * thread, never from an event loop.
 */
public final class CognitoLocalServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CognitoLocalServer.class);

  private static final Pattern LISTENING = Pattern.compile("Cognito Local running on (http://\\S+)");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
  private static final long LISTEN_TIMEOUT_SECONDS = 30;
  private static final long STOP_TIMEOUT_SECONDS = 3;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  static final String POOL_NAME = "webstore-dev";
  static final String PUBLIC_CLIENT = "webstore-web";
  static final String SECRET_CLIENT = "webstore-server";
  public static final String ADMIN_GROUP = "admin";

  /**
   * What the store needs to know about the provisioned pool.
   *
   * @param endpoint the Cognito endpoint ({@code aws.cognitoEndpoint})
   * @param poolId the user pool ({@code auth.cognitoUserPoolId})
   * @param issuer the {@code iss} of its tokens ({@code auth.issuer})
   * @param jwksUrl its key set ({@code auth.jwksUrl}; cognito-local's discovery document names a fixed port instead)
   * @param publicClientId the app client without a secret
   * @param secretClientId the app client with a secret
   * @param clientSecret that client's secret
   */
  public record Pool(URI endpoint, String poolId, String issuer, URI jwksUrl, String publicClientId,
      String secretClientId, String clientSecret) {

    /** The {@code auth} and {@code aws} config overrides of a store in cognito mode on this pool. */
    public JsonObject storeOverrides(boolean withSecret, boolean autoConfirm) {
      JsonObject auth = new JsonObject()
          .put("mode", "cognito")
          .put("issuer", issuer)
          .put("jwksUrl", jwksUrl.toString())
          .put("cognitoUserPoolId", poolId)
          .put("cognitoClientId", withSecret ? secretClientId : publicClientId)
          .put("cognitoAutoConfirm", autoConfirm);
      if (withSecret) {
        auth.put("cognitoClientSecret", clientSecret);
      }
      return new JsonObject().put("auth", auth)
          .put("aws", new JsonObject().put("cognitoEndpoint", endpoint.toString()));
    }
  }

  private final Process process;
  private final URI endpoint;
  private final Path workDir;
  private final boolean deleteOnStop;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
  private volatile boolean stopping;

  private CognitoLocalServer(Process process, URI endpoint, Path workDir, boolean deleteOnStop) {
    this.process = process;
    this.endpoint = endpoint;
    this.workDir = workDir;
    this.deleteOnStop = deleteOnStop;
    process.onExit().thenRun(() -> {
      if (!stopping) {
        log.error("devservices.cognito.exited pid={} status={}", process.pid(), process.exitValue());
      }
    });
  }

  /**
   * Starts cognito-local; blocks until it listens.
   *
   * @param devDir the project's {@code dev/} directory, holding package.json and cognito-local-server.js
   * @param workDir where cognito-local keeps its state
   * @param deleteOnStop whether {@link #close} removes {@code workDir} (tests) or keeps it (a dev server)
   */
  public static CognitoLocalServer start(Path devDir, Path workDir, boolean deleteOnStop) {
    Path dir = devDir.toAbsolutePath().normalize();
    Path script = dir.resolve("cognito-local-server.js");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("devservices.cognito " + script + " not found: run from the project root");
    }
    DynaliteServer.installIfMissing(dir); // one npm ci installs both engines
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new IllegalStateException("devservices.cognito could not create " + workDir, e);
    }
    int port = FreePorts.pick(); // its tokens' issuer names the port, so it must be known before it starts
    ProcessBuilder builder = new ProcessBuilder("node", script.toString())
        .directory(workDir.toFile())
        .redirectErrorStream(true);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("HOST", "127.0.0.1");
    builder.environment().put("NODE_NO_WARNINGS", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("devservices.cognito could not run `node`: is Node.js "
          + DynaliteServer.MIN_NODE_MAJOR + " or newer on PATH? (" + e.getMessage() + ")", e);
    }
    CompletableFuture<URI> listening = new CompletableFuture<>();
    drain(process.getInputStream(), line -> {
      String plain = ANSI.matcher(line).replaceAll("");
      Matcher ready = LISTENING.matcher(plain);
      if (ready.find()) {
        listening.complete(URI.create(ready.group(1)));
      } else if (plain.contains("ERROR")) {
        log.warn("devservices.cognito.out {}", plain);
      }
    });
    process.onExit().thenRun(() -> listening.completeExceptionally(new IllegalStateException(
        "devservices.cognito cognito-local exited with status " + process.exitValue() + " before listening")));
    try {
      URI uri = listening.get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info("devservices.cognito.listening endpoint={} pid={} state={}", uri, process.pid(), workDir);
      return new CognitoLocalServer(process, uri, workDir, deleteOnStop);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("devservices.cognito did not listen within " + LISTEN_TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("devservices.cognito interrupted while starting", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * The confirmation code cognito-local "sent" to a user (by username: the user's {@code sub}) and still awaits; empty
   * when there is none (or its state file is being rewritten at this moment: poll).
   */
  public Optional<String> confirmationCode(String username) {
    Path db = workDir.resolve(".cognito").resolve("db");
    try (var files = Files.list(db)) {
      for (Path pool : files.filter(file -> file.getFileName().toString().startsWith("local_")).toList()) {
        JsonObject user = new JsonObject(Files.readString(pool)).getJsonObject("Users", new JsonObject())
            .getJsonObject(username);
        if (user != null && user.getString("ConfirmationCode") != null) {
          return Optional.of(user.getString("ConfirmationCode"));
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException halfWritten) {
      return Optional.empty();
    }
  }

  /**
   * Creates (or finds) the pool, its two app clients, the admin group and the admin account with {@code
   * adminPassword}; returns what the store needs to use them.
   */
  public Pool provision(String adminEmail, String adminPassword) {
    String poolId = findPool().orElseGet(() -> call("CreateUserPool", new JsonObject()
            .put("PoolName", POOL_NAME)
            .put("UsernameAttributes", new JsonArray().add("email"))
            .put("AutoVerifiedAttributes", new JsonArray().add("email")))
        .getJsonObject("UserPool").getString("Id"));
    JsonObject publicClient = findClient(poolId, PUBLIC_CLIENT).orElseGet(() -> createClient(poolId, PUBLIC_CLIENT,
        false));
    JsonObject secretClient = findClient(poolId, SECRET_CLIENT).orElseGet(() -> createClient(poolId, SECRET_CLIENT,
        true));
    boolean hasAdminGroup = call("ListGroups", new JsonObject().put("UserPoolId", poolId).put("Limit", 60))
        .getJsonArray("Groups", new JsonArray()).stream().map(JsonObject.class::cast)
        .anyMatch(group -> ADMIN_GROUP.equals(group.getString("GroupName")));
    if (!hasAdminGroup) {
      call("CreateGroup", new JsonObject().put("UserPoolId", poolId).put("GroupName", ADMIN_GROUP));
    }
    ensureAdmin(poolId, adminEmail, adminPassword);
    URI jwks = endpoint.resolve("/" + poolId + "/.well-known/jwks.json");
    Pool pool = new Pool(endpoint, poolId, endpoint + "/" + poolId, jwks, publicClient.getString("ClientId"),
        secretClient.getString("ClientId"), secretClient.getString("ClientSecret"));
    log.info("devservices.cognito.provisioned pool={} public_client={} secret_client={}", poolId,
        pool.publicClientId(), pool.secretClientId());
    return pool;
  }

  private void ensureAdmin(String poolId, String email, String password) {
    if (callOrMissing("AdminGetUser", new JsonObject().put("UserPoolId", poolId).put("Username", email)).isEmpty()) {
      call("AdminCreateUser", new JsonObject().put("UserPoolId", poolId).put("Username", email)
          .put("MessageAction", "SUPPRESS")
          .put("UserAttributes", new JsonArray()
              .add(new JsonObject().put("Name", "email").put("Value", email))
              .add(new JsonObject().put("Name", "email_verified").put("Value", "true"))));
    }
    call("AdminSetUserPassword", new JsonObject().put("UserPoolId", poolId).put("Username", email)
        .put("Password", password).put("Permanent", true));
    call("AdminAddUserToGroup", new JsonObject().put("UserPoolId", poolId).put("Username", email)
        .put("GroupName", ADMIN_GROUP));
  }

  private Optional<String> findPool() {
    return call("ListUserPools", new JsonObject().put("MaxResults", 60))
        .getJsonArray("UserPools", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(pool -> POOL_NAME.equals(pool.getString("Name")))
        .map(pool -> pool.getString("Id"))
        .findFirst();
  }

  private Optional<JsonObject> findClient(String poolId, String name) {
    return call("ListUserPoolClients", new JsonObject().put("UserPoolId", poolId).put("MaxResults", 60))
        .getJsonArray("UserPoolClients", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(client -> name.equals(client.getString("ClientName")))
        .findFirst()
        .map(client -> call("DescribeUserPoolClient", new JsonObject().put("UserPoolId", poolId)
            .put("ClientId", client.getString("ClientId"))).getJsonObject("UserPoolClient"));
  }

  private JsonObject createClient(String poolId, String name, boolean secret) {
    return call("CreateUserPoolClient", new JsonObject().put("UserPoolId", poolId).put("ClientName", name)
            .put("GenerateSecret", secret)
            .put("ExplicitAuthFlows", new JsonArray().add("ALLOW_USER_PASSWORD_AUTH").add("ALLOW_REFRESH_TOKEN_AUTH")))
        .getJsonObject("UserPoolClient");
  }

  /** The user {@code username} (a {@code sub} or an email) of a pool as AdminGetUser answers it; empty when none. */
  public Optional<JsonObject> user(String poolId, String username) {
    return callOrMissing("AdminGetUser", new JsonObject().put("UserPoolId", poolId).put("Username", username));
  }

  /** One raw call of the Cognito JSON protocol (test-side: the store itself uses the SDK's async client). */
  public JsonObject call(String target, JsonObject body) {
    return callOrMissing(target, body).orElseThrow(() -> new IllegalStateException(
        "devservices.cognito " + target + " answered: not found"));
  }

  private Optional<JsonObject> callOrMissing(String target, JsonObject body) {
    HttpRequest request = HttpRequest.newBuilder(endpoint)
        .timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSCognitoIdentityProviderService." + target)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonObject answer = response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
      if (response.statusCode() == 200) {
        return Optional.of(answer);
      }
      String type = answer.getString("__type", "");
      if (type.equals("ResourceNotFoundException") || type.equals("UserNotFoundException")) {
        return Optional.empty();
      }
      throw new IllegalStateException("devservices.cognito " + target + " answered " + response.statusCode() + ": "
          + response.body());
    } catch (IOException e) {
      throw new IllegalStateException("devservices.cognito " + target + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("devservices.cognito interrupted", e);
    }
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    stopping = true;
    try {
      process.getOutputStream().close();
      if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (IOException alreadyClosed) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (deleteOnStop) {
      WorkDir.delete(workDir);
    }
  }

  private static void drain(InputStream stream, Consumer<String> onLine) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          onLine.accept(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }, "devservices-cognito-out");
    thread.setDaemon(true);
    thread.start();
  }
}
