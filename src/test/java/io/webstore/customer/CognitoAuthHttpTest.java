package io.webstore.customer;

import io.vertx.core.json.JsonObject;
import io.webstore.dev.CognitoLocalServer;
import io.webstore.testing.Api;
import io.webstore.testing.Deadline;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The auth suite on a store in {@code auth.mode=cognito} on cognito-local, through the public app client, with the
 * real confirmation flow (no auto-confirmation): the code comes from what cognito-local "sent".
 */
@WebstoreTest
class CognitoAuthHttpTest extends AuthHttpSuite {

  static Api cognito;
  static CognitoLocalServer engine;

  @BeforeAll
  static void start(Stores stores) {
    engine = Engines.shared().cognito();
    // its own tables: the shared local-mode store's admin already holds the admin email's claim in the shared ones
    cognito = stores.api(stores.start(Engines.shared().cognitoPool().storeOverrides(false, false)
        .put("dynamo", new JsonObject().put("tablePrefix", "webstore-cognito-test-"))));
  }

  @Override
  protected Api api() {
    return cognito;
  }

  @Override
  protected boolean confirmationRequired() {
    return true;
  }

  @Override
  protected String confirmationCode(String customerId) {
    return Deadline.until("the confirmation code of " + customerId, Duration.ofSeconds(10),
        () -> engine.confirmationCode(customerId).orElse(null));
  }
}
