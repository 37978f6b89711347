package io.webstore.customer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import io.webstore.dev.CognitoLocalServer;
import io.webstore.platform.auth.AuthKeys;
import io.webstore.platform.auth.BearerTokens;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.testing.ContractTables;
import io.webstore.testing.Engines;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderAsyncClient;

/**
 * The identity-provider contract on {@link CognitoIdentityProvider} against cognito-local (started once per test JVM
 * by {@link Engines#cognito()}), through the public app client, sign-ups auto-confirmed as in dev; profiles in the
 * contract copy of the customers table; tokens verified against the pool's JWKS by the store's own {@link AuthKeys}.
 */
class CognitoIdentityProviderTest extends IdentityProviderContract {

  private static CognitoIdentityProviderAsyncClient client;

  /** Whether this run uses the app client with a secret. */
  protected boolean withSecret() {
    return false;
  }

  /** Interceptors of the SDK client (a subclass records the requests). */
  protected ExecutionInterceptor interceptor() {
    return new ExecutionInterceptor() {};
  }

  @Override
  protected Future<Provider> createProvider() {
    CognitoLocalServer.Pool pool = Engines.shared().cognitoPool();
    Services services = ContractTables.services();
    if (client == null) {
      client = cognitoClient(pool, interceptor());
    }
    String clientId = withSecret() ? pool.secretClientId() : pool.publicClientId();
    Optional<String> secret = withSecret() ? Optional.of(pool.clientSecret()) : Optional.empty();
    WebstoreConfig.Auth auth = new WebstoreConfig.Auth("cognito", pool.issuer(), "webstore", Duration.ofHours(1),
        Optional.of(pool.jwksUrl()), Optional.of(pool.poolId()), Optional.of(clientId), Duration.ofSeconds(5), secret,
        true, Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofDays(1));
    return Future.all(ContractTables.provision(DynamoCustomerStore.TABLE),
            AuthKeys.load(services.vertx(), auth, WebClient.create(services.vertx()), new SimpleMeterRegistry()))
        .map(started -> {
          CustomerStore customers = new DynamoCustomerStore(services.vertx(), services.aws().dynamo(),
              started.resultAt(0), services.meters());
          AuthKeys keys = started.resultAt(1);
          IdentityProvider identity = new CognitoIdentityProvider(services.vertx(), client,
              new CognitoIdentityProvider.Settings(Optional.of(pool.poolId()), clientId, secret, true),
              customers, services.meters(), Clock.systemUTC());
          return new Provider(identity, customers, token -> keys.tokens().verify("Bearer " + token.token())
              .map(user -> BearerTokens.claims(user).getString("sub")));
        });
  }

  /** An async Cognito client on cognito-local, with short timeouts (tests fail fast rather than hang). */
  static CognitoIdentityProviderAsyncClient cognitoClient(CognitoLocalServer.Pool pool,
      ExecutionInterceptor interceptor) {
    return CognitoIdentityProviderAsyncClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dev", "dev")))
        .endpointOverride(pool.endpoint())
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(15))
            .apiCallAttemptTimeout(Duration.ofSeconds(5))
            .addExecutionInterceptor(interceptor))
        .build();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
