package io.webstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.error.Kind;

/** What a bus caller is told when an engine did not answer: retryable, and no internals. */
public final class BusFailures {

  private BusFailures() {}

  /** A recipient failure of kind {@code unavailable} (the sender retries) whose detail names no engine or exception. */
  public static void assertUnavailableWithoutInternals(ReplyException failure) {
    assertThat(failure.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(failure.failureCode()).as(failure.getMessage()).isEqualTo(Kind.UNAVAILABLE.code());
    assertThat(new JsonObject(failure.getMessage()).getString("detail")).isNotBlank()
        .doesNotContainIgnoringCase("exception").doesNotContainIgnoringCase("dynamo");
  }
}
