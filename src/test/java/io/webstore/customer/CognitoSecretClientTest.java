package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.webstore.dev.CognitoLocalServer;
import io.webstore.testing.Engines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ConfirmSignUpRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpRequest;

/**
 * The identity-provider contract through the app client with a secret, and the {@code SECRET_HASH} of every call that
 * names a user, recomputed here from the secret (cognito-local accepts any hash, AWS refuses a wrong or missing one,
 * so the hash is checked on the requests as sent).
 */
class CognitoSecretClientTest extends CognitoIdentityProviderTest {

  /** One request as sent: the operation, the username its hash must be made of, and the hash. */
  record Sent(String operation, String username, String secretHash) {}

  static final List<Sent> SENT = new CopyOnWriteArrayList<>();

  @Override
  protected boolean withSecret() {
    return true;
  }

  @Override
  protected ExecutionInterceptor interceptor() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof SignUpRequest signUp) {
          SENT.add(new Sent("SignUp", signUp.username(), signUp.secretHash()));
        } else if (context.request() instanceof ConfirmSignUpRequest confirm) {
          SENT.add(new Sent("ConfirmSignUp", confirm.username(), confirm.secretHash()));
        } else if (context.request() instanceof InitiateAuthRequest auth) {
          SENT.add(new Sent(auth.authFlowAsString(), auth.authParameters().get("USERNAME"),
              auth.authParameters().get("SECRET_HASH")));
        }
      }
    };
  }

  @Test
  void everyCallThatNamesAUserCarriesTheSecretHashOfItsUsername() {
    Provider provider = Engines.await(createProvider(), Duration.ofSeconds(20));
    EmailAddress email = EmailAddress.parse("secret-" + UUID.randomUUID() + "@example.com");
    SENT.clear();
    Customer customer = Engines.await(provider.identity().signUp(email, "correct-Horse-battery-9"));
    Engines.await(provider.identity().confirm(email, "000000"));
    AccessToken login = Engines.await(provider.identity().logIn(email, "correct-Horse-battery-9"));
    Engines.await(provider.identity().refresh(login.refreshToken().orElseThrow()));

    CognitoLocalServer.Pool pool = Engines.shared().cognitoPool();
    assertThat(SENT).extracting(Sent::operation)
        .contains("SignUp", "ConfirmSignUp", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH");
    assertThat(SENT).allSatisfy(sent -> {
      // a refresh names no USERNAME: its hash is of the user's username, which is the customer's sub
      String username = sent.operation().equals("REFRESH_TOKEN_AUTH") ? customer.id() : sent.username();
      assertThat(sent.secretHash()).as(sent.operation())
          .isEqualTo(hmac(pool.clientSecret(), username + pool.secretClientId()));
    });
  }

  private static String hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
