package io.webstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.webstore.WebStore;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture gives every way of asking for the shared store the same store and client, and stops what it started. */
@WebstoreTest
class EnginesExtensionTest {

  static final AtomicReference<WebStore> startedByATest = new AtomicReference<>();
  static Stores classStores;

  @Shared static Api classClient;
  @Shared Api instanceClient;
  @Shared WebStore sharedStore;

  @BeforeAll
  static void start(Stores stores) {
    classStores = stores;
  }

  @Test
  void fieldsAndParametersNameTheSharedStoreAndOneClientPerClass(Api parameter, WebStore store, Engines engines) {
    assertThat(instanceClient).isSameAs(classClient).isSameAs(parameter);
    assertThat(sharedStore).isSameAs(store).isSameAs(engines.app()).isSameAs(classClient.store());
    assertThat(classClient.get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aStoreStartedByATestAnswersDuringIt(Stores stores) {
    assertThat(stores).as("a test's own, not the class's").isNotSameAs(classStores);
    WebStore own = stores.start(new JsonObject());
    startedByATest.set(own);
    assertThat(own).isNotSameAs(sharedStore);
    assertThat(stores.api(own).get("/health/live", null).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void theStoreStartedByATestWasStoppedWithIt() {
    WebStore own = startedByATest.get();
    assertThat(own).isNotNull();
    assertThat(own.vertx().deploymentIDs()).as("undeployed when its test ended").isEmpty();
  }
}
