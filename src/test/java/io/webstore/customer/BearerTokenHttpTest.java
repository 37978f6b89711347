package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way a bearer token can be wrong, against the shared store ({@code auth.mode=local}, its own RSA key) and
 * against a second store in {@code cognito} mode whose JWKS this test serves, so the test holds the signing key and
 * can sign expired, early, misaddressed and otherwise defective tokens.
 */
@WebstoreTest
class BearerTokenHttpTest {

  static final String ME = "/api/v1/customers/me";

  /** A store under test and what an attacker can learn about its keys from the public JWKS. */
  record Target(Api api, String kid, RSAPublicKey publicKey, Function<String, JsonObject> validClaims,
      Function<String, String> honestToken) {}

  @Shared static Api local;
  static Target localTarget;
  static Vertx jwksVertx;
  static WebStore cognitoStore;
  static Api cognito;
  static Target cognitoTarget;
  static KeyPair cognitoKey;
  static final String COGNITO_KID = "test-kid-" + UUID.randomUUID();
  static final String ISSUER = "https://cognito-idp.test.invalid/pool-" + UUID.randomUUID();
  static final String CLIENT_ID = "client-" + UUID.randomUUID();

  static String alice;
  static String aliceEmail;
  static String aliceToken;
  static String bob;

  @BeforeAll
  static void start(Stores stores) {
    aliceEmail = CustomerHttpTest.newEmail();
    alice = created(local, aliceEmail);
    bob = created(local, CustomerHttpTest.newEmail());
    aliceToken = login(local, aliceEmail);

    JsonObject localJwk = local.get("/.well-known/jwks.json", null).bodyAsJsonObject()
        .getJsonArray("keys").getJsonObject(0);
    var auth = local.store().services().config().auth();
    localTarget = new Target(local, localJwk.getString("kid"), rsaPublicKey(localJwk),
        sub -> new JsonObject().put("sub", sub).put("email", aliceEmail).put("cognito:groups", new JsonArray())
            .put("token_use", "access").put("iss", auth.issuer()).put("aud", new JsonArray().add(auth.audience()))
            .put("iat", now()).put("exp", now() + 600),
        sub -> sub.equals(alice) ? aliceToken : null);

    cognitoKey = Jwts.rsaKeyPair();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray()
        .add(Jwts.publicJwk((RSAPublicKey) cognitoKey.getPublic(), COGNITO_KID)));
    jwksVertx = Vertx.vertx();
    HttpServer jwksServer = Engines.await(jwksVertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
            .end(jwks.toBuffer()))
        .listen(0, "127.0.0.1"));
    cognitoStore = stores.start(new JsonObject().put("auth", new JsonObject()
        .put("mode", "cognito")
        .put("issuer", ISSUER)
        .put("jwksUrl", "http://127.0.0.1:" + jwksServer.actualPort() + "/.well-known/jwks.json")
        .put("cognitoClientId", CLIENT_ID)));
    cognito = stores.api(cognitoStore);
    cognitoTarget = new Target(cognito, COGNITO_KID, (RSAPublicKey) cognitoKey.getPublic(),
        BearerTokenHttpTest::cognitoClaims, sub -> cognitoToken(cognitoClaims(sub)));
  }

  @AfterAll
  static void stop() {
    if (jwksVertx != null) {
      Engines.await(jwksVertx.close());
    }
  }

  /** The claims of a Cognito access token (no email, no aud: the app client is in client_id). */
  static JsonObject cognitoClaims(String sub) {
    return new JsonObject().put("sub", sub).put("cognito:groups", new JsonArray()).put("token_use", "access")
        .put("scope", "aws.cognito.signin.user.admin").put("iss", ISSUER).put("client_id", CLIENT_ID)
        .put("username", sub).put("iat", now()).put("exp", now() + 600).put("jti", UUID.randomUUID().toString());
  }

  static String cognitoToken(JsonObject claims) {
    return Jwts.rs256(new JsonObject().put("kid", COGNITO_KID), claims, cognitoKey.getPrivate());
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static String created(Api api, String email) {
    HttpResponse<Buffer> signUp = api.call(HttpMethod.POST, "/api/v1/auth/signup", null,
        new JsonObject().put("email", email).put("password", CustomerHttpTest.PASSWORD));
    assertThat(signUp.statusCode()).as(signUp.bodyAsString()).isEqualTo(201);
    return signUp.bodyAsJsonObject().getString("id");
  }

  static String login(Api api, String email) {
    HttpResponse<Buffer> login = api.call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", CustomerHttpTest.PASSWORD));
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    return login.bodyAsJsonObject().getString("access_token");
  }

  static RSAPublicKey rsaPublicKey(JsonObject jwk) {
    try {
      Base64.Decoder decoder = Base64.getUrlDecoder();
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
          new BigInteger(1, decoder.decode(jwk.getString("n"))), new BigInteger(1, decoder.decode(jwk.getString("e")))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertRejected(Api api, String token, String why) {
    HttpResponse<Buffer> response = api.get(ME, token);
    assertThat(response.statusCode()).as(why + ": " + response.bodyAsString()).isEqualTo(401);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("type")).isEqualTo("/problems/unauthorized");
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer realm=\"webstore\"");
    if (token != null) {
      assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }
  }

  /** Tokens an attacker who knows only the public key (and holds a customer's genuine token) can make. */
  enum Forgery {
    UNSIGNED_ALG_NONE(target -> Jwts.unsecured(header(target.kid()), target.validClaims().apply(alice))),
    HS256_KEYED_WITH_THE_JWK_MODULUS(target -> Jwts.hs256(header(target.kid()), target.validClaims().apply(alice),
        target.publicKey().getModulus().toByteArray())),
    HS256_KEYED_WITH_THE_JWK_N_TEXT(target -> Jwts.hs256(header(target.kid()), target.validClaims().apply(alice),
        Jwts.unsigned(target.publicKey().getModulus()).getBytes(StandardCharsets.US_ASCII))),
    HS256_KEYED_WITH_THE_PEM(target -> Jwts.hs256(header(target.kid()), target.validClaims().apply(alice),
        Jwts.pem(target.publicKey()).getBytes(StandardCharsets.US_ASCII))),
    TAMPERED_SUBJECT(target -> {
      String honest = target.honestToken().apply(alice);
      return Jwts.withPayload(honest, Jwts.payload(honest).put("sub", bob));
    }),
    TAMPERED_GROUPS(target -> {
      String honest = target.honestToken().apply(alice);
      return Jwts.withPayload(honest, Jwts.payload(honest).put("cognito:groups", new JsonArray().add("admin")));
    }),
    OTHER_KEY_SAME_KID(target -> Jwts.rs256(header(target.kid()), target.validClaims().apply(alice),
        Attacker.KEY.getPrivate())),
    OTHER_KEY_EMBEDDED_AS_JWK(target -> Jwts.rs256(header(target.kid())
            .put("jwk", Jwts.publicJwk((RSAPublicKey) Attacker.KEY.getPublic(), target.kid())),
        target.validClaims().apply(alice), Attacker.KEY.getPrivate())),
    GARBAGE(target -> "not-a-jwt"),
    GARBAGE_SEGMENTS(target -> "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"),
    NONE(target -> null);

    final Function<Target, String> forge;

    Forgery(Function<Target, String> forge) {
      this.forge = forge;
    }
  }

  /** The attacker's own key pair, made once. */
  static final class Attacker {
    static final KeyPair KEY = Jwts.rsaKeyPair();
  }

  static JsonObject header(String kid) {
    return new JsonObject().put("typ", "JWT").put("kid", kid);
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void forgedTokensAre401OnTheLocalStore(Forgery forgery) {
    assertRejected(local, forgery.forge.apply(localTarget), forgery.name());
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void forgedTokensAre401OnTheCognitoModeStore(Forgery forgery) {
    assertRejected(cognito, forgery.forge.apply(cognitoTarget), forgery.name());
  }

  @Test
  void genuineTokensOpenMeOnBothStores() {
    HttpResponse<Buffer> viaLocal = local.get(ME, aliceToken);
    assertThat(viaLocal.statusCode()).as(viaLocal.bodyAsString()).isEqualTo(200);
    assertThat(viaLocal.bodyAsJsonObject().getString("id")).isEqualTo(alice);

    HttpResponse<Buffer> viaCognito = cognito.get(ME, cognitoToken(cognitoClaims(alice)));
    assertThat(viaCognito.statusCode()).as(viaCognito.bodyAsString()).isEqualTo(200);
    assertThat(viaCognito.bodyAsJsonObject()).isEqualTo(viaLocal.bodyAsJsonObject());
  }

  /** Defects only the key holder can sign: each is applied to a Cognito access token signed with the right key. */
  enum ClaimDefect {
    EXPIRED(claims -> claims.put("iat", now() - 7200).put("exp", now() - 3600)),
    NOT_YET_VALID(claims -> claims.put("nbf", now() + 3600)),
    ISSUED_IN_THE_FUTURE(claims -> claims.put("iat", now() + 3600).put("exp", now() + 7200)),
    WRONG_ISSUER(claims -> claims.put("iss", "https://cognito-idp.test.invalid/another-pool")),
    WRONG_CLIENT(claims -> claims.put("client_id", "another-client")),
    NO_CLIENT_BUT_AUDIENCE(claims -> {
      claims.remove("client_id");
      return claims.put("aud", CLIENT_ID);
    }),
    AUDIENCE_ARRAY_ONLY(claims -> {
      claims.remove("client_id");
      return claims.put("aud", new JsonArray().add(CLIENT_ID));
    }),
    NO_EXPIRY(claims -> {
      claims.remove("exp");
      return claims;
    }),
    EXPIRY_NOT_A_NUMBER(claims -> claims.put("exp", "tomorrow")),
    NO_SUBJECT(claims -> {
      claims.remove("sub");
      return claims;
    }),
    ID_TOKEN(claims -> claims.put("token_use", "id"));

    final UnaryOperator<JsonObject> apply;

    ClaimDefect(UnaryOperator<JsonObject> apply) {
      this.apply = apply;
    }
  }

  @ParameterizedTest
  @EnumSource(ClaimDefect.class)
  void defectiveClaimsAre401EvenWhenProperlySigned(ClaimDefect defect) {
    assertRejected(cognito, cognitoToken(defect.apply.apply(cognitoClaims(alice))), defect.name());
  }

  @Test
  void theCognitoModeStoreAuthorizesAdminsByGroup() {
    JsonObject adminClaims = cognitoClaims(UUID.randomUUID().toString())
        .put("cognito:groups", new JsonArray().add("admin"));
    HttpResponse<Buffer> asAdmin = cognito.get("/api/v1/admin/customers/" + bob, cognitoToken(adminClaims));
    assertThat(asAdmin.statusCode()).as(asAdmin.bodyAsString()).isEqualTo(200);
    assertThat(asAdmin.bodyAsJsonObject().getString("id")).isEqualTo(bob);

    HttpResponse<Buffer> asCustomer = cognito.get("/api/v1/admin/customers/" + bob,
        cognitoToken(cognitoClaims(alice)));
    assertThat(asCustomer.statusCode()).isEqualTo(403);
    assertThat(asCustomer.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void theStoresDoNotAcceptEachOthersTokens() {
    assertRejected(cognito, aliceToken, "local token at the cognito store");
    assertRejected(local, cognitoToken(cognitoClaims(alice)), "cognito token at the local store");
  }
}
