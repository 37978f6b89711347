package io.webstore.platform.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.platform.error.Unavailable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys that verify bearer tokens, and in {@code local} mode (dev) also sign them. Both profiles verify through a
 * {@link JWTAuth} built from a JWKS: in {@code local} mode a key pair generated at start and published at {@code
 * /.well-known/jwks.json}; in {@code cognito} mode the user pool's JWKS ({@code auth.jwksUrl}), which is fetched
 *
 * <ul>
 *   <li>at start, once: when it cannot be fetched the store still starts, its readiness check {@code jwks} is down
 *       and bearer tokens get 503 until a later fetch succeeds (tried by readiness probes and tokens, at most once a
 *       second while no key set is held);
 *   <li>when a token names a key id ({@code kid}) the set does not hold (a key rotation), at most once per {@code
 *       auth.jwksMinRefreshIntervalMs}, concurrent tokens sharing one fetch;
 *   <li>every {@code auth.jwksRefreshPeriodSeconds}, so a key that left the set stops verifying.
 * </ul>
 *
 * <p>A failed fetch keeps the keys already held, so tokens keep working while the JWKS endpoint is down. Only
 * asymmetric algorithms are accepted (RS256 / ES256): the key set holds no symmetric key, so an HS256 token signed with
 * the public key has nothing to verify against.
 */
public final class AuthKeys {

  private static final Logger log = LoggerFactory.getLogger(AuthKeys.class);
  private static final String REFRESH_METRIC = "webstore.auth.jwks.fetches";
  private static final long EMPTY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** One fetched (or generated) key set; {@code verifier} is null while no key set has been fetched. */
  private record KeySet(JWTAuth verifier, Set<String> keyIds, JsonObject jwks) {
    static final KeySet NONE = new KeySet(null, Set.of(), new JsonObject().put("keys", new JsonArray()));
  }

  private final Vertx vertx;
  private final WebClient web;
  private final MeterRegistry meters;
  private final AtomicReference<KeySet> keys;
  private final JWTAuth signer; // null unless local
  private final String keyId;
  private final WebstoreConfig.Auth config;
  private final AtomicReference<Future<Void>> fetching = new AtomicReference<>();
  private final AtomicLong lastFetchNanos = new AtomicLong();

  private AuthKeys(Vertx vertx, WebstoreConfig.Auth config, WebClient web, MeterRegistry meters, KeySet keys,
      JWTAuth signer, String keyId) {
    this.vertx = vertx;
    this.config = config;
    this.web = web;
    this.meters = meters;
    this.keys = new AtomicReference<>(keys);
    this.signer = signer;
    this.keyId = keyId;
  }

  /**
   * The local key pair (local mode), or the user pool's key set as far as it can be fetched now (cognito mode: never
   * fails; see the class comment). The periodic refresh runs on {@code vertx} until it closes.
   */
  public static Future<AuthKeys> load(Vertx vertx, WebstoreConfig.Auth config, WebClient web, MeterRegistry meters) {
    if (config.local()) {
      // RSA key generation costs up to a second of CPU: a worker thread, once at start
      return vertx.executeBlocking(() -> generateLocal(vertx, config, web, meters));
    }
    AuthKeys remote = new AuthKeys(vertx, config, web, meters, KeySet.NONE, null, null);
    vertx.setPeriodic(config.jwksRefreshPeriod().toMillis(), timer -> remote.fetch("period"));
    return remote.fetch("start").map(remote);
  }

  /**
   * Verifies a compact JWT's signature, issuer and time claims (and audience in local mode) against the key set,
   * fetching it again first when the token names a key id the set lacks (rate-limited). {@link Unavailable} while no
   * key set has ever been fetched.
   */
  Future<User> authenticate(String token) {
    KeySet current = keys.get();
    if (signer == null && (current.verifier() == null || !current.keyIds().contains(keyIdOf(token)))) {
      return refreshIfDue("unknown-kid").transform(done -> verifyWith(keys.get(), token));
    }
    return verifyWith(current, token);
  }

  private static Future<User> verifyWith(KeySet set, String token) {
    if (set.verifier() == null) {
      return Future.failedFuture(new Unavailable("the token keys could not be fetched yet; retry shortly"));
    }
    // compose: vertx-auth-jwt throws, rather than fails, on some malformed claims (an exp that is not a number)
    return Future.succeededFuture(new TokenCredentials(token)).compose(set.verifier()::authenticate);
  }

  /** The readiness check of cognito mode: up once a key set is held; while none is, each probe may try a fetch. */
  public Future<Void> ready() {
    if (keys.get().verifier() != null) {
      return Future.succeededFuture();
    }
    return refreshIfDue("readiness").compose(done -> keys.get().verifier() != null
        ? Future.<Void>succeededFuture()
        : Future.<Void>failedFuture(new IllegalStateException("no key set: auth.jwksUrl could not be fetched")));
  }

  /** A fetch unless one started less than the minimum interval ago; joins a fetch in flight. Never fails. */
  private Future<Void> refreshIfDue(String reason) {
    Future<Void> inFlight = fetching.get();
    if (inFlight != null) {
      return inFlight;
    }
    long last = lastFetchNanos.get();
    // while no key set is held, every token fails anyway: try again sooner, still never more than once a second
    long interval = keys.get().verifier() == null
        ? Math.min(EMPTY_RETRY_NANOS, config.jwksMinRefreshInterval().toNanos())
        : config.jwksMinRefreshInterval().toNanos();
    if (System.nanoTime() - last < interval) {
      return Future.succeededFuture();
    }
    return fetch(reason);
  }

  /** Fetches the key set and swaps it in; a failure keeps the keys held. Never fails; one fetch at a time. */
  private Future<Void> fetch(String reason) {
    Promise<Void> promise = Promise.promise();
    if (!fetching.compareAndSet(null, promise.future())) {
      return fetching.get() == null ? Future.succeededFuture() : fetching.get();
    }
    lastFetchNanos.set(System.nanoTime());
    long timeout = config.jwksTimeout().toMillis();
    web.getAbs(config.jwksUrl().orElseThrow().toString())
        .timeout(timeout)
        .send()
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("auth.jwksUrl answered HTTP " + response.statusCode());
          }
          return keySet(vertx, config, response.bodyAsJsonObject());
        })
        .onComplete(result -> {
          Counter.builder(REFRESH_METRIC).tag("reason", reason)
              .tag("outcome", result.succeeded() ? "success" : "failure").register(meters).increment();
          if (result.succeeded()) {
            KeySet previous = keys.getAndSet(result.result());
            if (!previous.keyIds().equals(result.result().keyIds())) {
              log.info("auth.jwks.changed reason={} kids={}", reason, result.result().keyIds());
            }
          } else {
            log.warn("auth.jwks.fetch_failed reason={} keeping={} error={}", reason, keys.get().keyIds().size(),
                result.cause().toString());
          }
          fetching.set(null);
          promise.complete();
        });
    return promise.future();
  }

  private static String keyIdOf(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return "";
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
      return header.getValue("kid") instanceof String kid ? kid : "";
    } catch (RuntimeException malformed) {
      return ""; // the verifier rejects it
    }
  }

  private static AuthKeys generateLocal(Vertx vertx, WebstoreConfig.Auth config, WebClient web,
      MeterRegistry meters) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
    String kid = UUID.randomUUID().toString();
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    RSAPrivateCrtKey priv = (RSAPrivateCrtKey) pair.getPrivate();
    JsonObject publicJwk = new JsonObject()
        .put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", kid)
        .put("n", b64(pub.getModulus())).put("e", b64(pub.getPublicExponent()));
    JsonObject privateJwk = publicJwk.copy()
        .put("d", b64(priv.getPrivateExponent())).put("p", b64(priv.getPrimeP())).put("q", b64(priv.getPrimeQ()))
        .put("dp", b64(priv.getPrimeExponentP())).put("dq", b64(priv.getPrimeExponentQ()))
        .put("qi", b64(priv.getCrtCoefficient()));
    JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(publicJwk));
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(privateJwk));
    return new AuthKeys(vertx, config, web, meters, keySet(vertx, config, jwks), signer, kid);
  }

  private static KeySet keySet(Vertx vertx, WebstoreConfig.Auth config, JsonObject jwks) {
    List<JsonObject> keys = new ArrayList<>();
    jwks.getJsonArray("keys", new JsonArray()).forEach(key -> {
      JsonObject jwk = (JsonObject) key;
      String kty = jwk.getString("kty", "");
      if (kty.equals("RSA") || kty.equals("EC")) { // never a symmetric ("oct") key
        keys.add(jwk);
      }
    });
    if (keys.isEmpty()) {
      throw new IllegalStateException("the JWKS holds no RSA or EC key");
    }
    JWTOptions verify = new JWTOptions().setIssuer(config.issuer()).setLeeway(5);
    if (config.local()) {
      verify.setAudience(List.of(config.audience())); // Cognito access tokens carry client_id, checked by the handler
    }
    Set<String> keyIds = keys.stream().map(key -> key.getString("kid", "")).collect(Collectors.toUnmodifiableSet());
    return new KeySet(JWTAuth.create(vertx, new JWTAuthOptions().setJwks(keys).setJWTOptions(verify)), keyIds,
        new JsonObject().put("keys", new JsonArray(keys)));
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) { // unsigned big-endian, as JWK wants
      byte[] trimmed = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
      bytes = trimmed;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The complete bearer-token check, shared by every caller. */
  public BearerTokens tokens() {
    return new BearerTokens(this, config);
  }

  /** The public key set, as served at {@code /.well-known/jwks.json} (in cognito mode: the set held now). */
  public JsonObject jwks() {
    return keys.get().jwks();
  }

  /** Issues an access token for a customer; present only in {@code local} mode. */
  public Optional<String> issue(String subject, String email, List<String> groups) {
    if (signer == null) {
      return Optional.empty();
    }
    JsonObject claims = new JsonObject()
        .put("email", email)
        .put("cognito:groups", new JsonArray(groups))
        .put("token_use", "access");
    return Optional.of(signer.generateToken(claims, new JWTOptions()
        .setAlgorithm("RS256")
        .setHeader(new JsonObject().put("kid", keyId))
        .setSubject(subject)
        .setIssuer(config.issuer())
        .setAudience(List.of(config.audience()))
        .setExpiresInSeconds((int) config.tokenTtl().toSeconds())));
  }

  public long tokenTtlSeconds() {
    return config.tokenTtl().toSeconds();
  }
}
