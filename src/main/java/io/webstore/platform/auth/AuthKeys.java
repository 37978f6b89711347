package io.webstore.platform.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.webstore.platform.config.WebstoreConfig;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The keys that verify bearer tokens, and in {@code local} mode (dev) also sign them. Both profiles verify through the
 * same {@link JWTAuth} built from a JWKS: in {@code cognito} mode the user pool's JWKS, fetched at start; in {@code
 * local} mode a key pair generated at start and published at {@code /.well-known/jwks.json}. Only asymmetric
 * algorithms are accepted (RS256 / ES256): the key set holds no symmetric key, so an HS256 token signed with the
 * public key has nothing to verify against.
 */
public final class AuthKeys {

  private final JWTAuth verifier;
  private final JsonObject publicJwks;
  private final JWTAuth signer; // null unless local
  private final String keyId;
  private final WebstoreConfig.Auth config;

  private AuthKeys(WebstoreConfig.Auth config, JWTAuth verifier, JsonObject publicJwks, JWTAuth signer, String keyId) {
    this.config = config;
    this.verifier = verifier;
    this.publicJwks = publicJwks;
    this.signer = signer;
    this.keyId = keyId;
  }

  public static Future<AuthKeys> load(Vertx vertx, WebstoreConfig.Auth config, WebClient web) {
    if (config.local()) {
      // RSA key generation costs up to a second of CPU: a worker thread, once at start
      return vertx.executeBlocking(() -> generateLocal(vertx, config));
    }
    return web.getAbs(config.jwksUrl().orElseThrow().toString())
        .timeout(config.jwksTimeout().toMillis())
        .send()
        .timeout(config.jwksTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .map(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("auth.jwksUrl answered HTTP " + response.statusCode());
          }
          JsonObject jwks = response.bodyAsJsonObject();
          return new AuthKeys(config, verifierFor(vertx, config, jwks), jwks, null, null);
        });
  }

  private static AuthKeys generateLocal(Vertx vertx, WebstoreConfig.Auth config) {
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
    return new AuthKeys(config, verifierFor(vertx, config, jwks), jwks, signer, kid);
  }

  private static JWTAuth verifierFor(Vertx vertx, WebstoreConfig.Auth config, JsonObject jwks) {
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
    return JWTAuth.create(vertx, new JWTAuthOptions().setJwks(keys).setJWTOptions(verify));
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

  /** Verifies bearer tokens (both profiles). */
  public JWTAuth verifier() {
    return verifier;
  }

  /** The complete bearer-token check, shared by every caller. */
  public BearerTokens tokens() {
    return new BearerTokens(verifier, config);
  }

  /** The public key set, as served at {@code /.well-known/jwks.json}. */
  public JsonObject jwks() {
    return publicJwks;
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
