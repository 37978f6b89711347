package io.webstore.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeSettingsTest {

  private static JsonObject valid() {
    return new JsonObject()
        .put("rateLimits", new JsonObject().put("perClientPerSecond", 50)
            .put("signUpsPerClientPerMinute", 20).put("loginsPerClientPerMinute", 60)
            .put("loginsPerAccountPerMinute", 20).put("failedLoginsPerClientPerHour", 100)
            .put("failedLoginsPerAccountPerHour", 10).put("checkoutsPerAccountPerMinute", 20))
        .put("fraud", new JsonObject().put("reviewScore", 700).put("rejectScore", 900))
        .put("flags", new JsonObject().put("cacheTtlMs", 5000)
            .put("defaults", new JsonObject().put("new-checkout", true).put("dark-mode", false)));
  }

  private static RuntimeSettings read(JsonObject json) {
    return RuntimeSettings.from(json, "conf/runtime.json");
  }

  @Test
  void validFileIsReadIntoTypedValues() {
    RuntimeSettings settings = read(valid());

    assertThat(settings.rateLimits().perClientPerSecond()).isEqualTo(50);
    assertThat(settings.fraud().reviewScore()).isEqualTo(700);
    assertThat(settings.fraud().rejectScore()).isEqualTo(900);
    assertThat(settings.flags().cacheTtl()).isEqualTo(Duration.ofMillis(5000));
    assertThat(settings.flags().defaults()).isEqualTo(Map.of("new-checkout", true, "dark-mode", false));
  }

  @Test
  void jsonFormRoundTrips() {
    RuntimeSettings settings = read(valid());

    assertThat(RuntimeSettings.fromJson(settings.toJson())).isEqualTo(settings);
    assertThat(settings.toJson()).isEqualTo(valid());
  }

  @Test
  void rateLimitsBesidesThePerClientOneMayBeLeftOut() {
    JsonObject json = valid();
    json.put("rateLimits", new JsonObject().put("perClientPerSecond", 7));

    RuntimeSettings.RateLimits limits = read(json).rateLimits();

    assertThat(limits.perClientPerSecond()).isEqualTo(7);
    assertThat(limits.failedLoginsPerAccountPerHour()).isEqualTo(10);
    assertThat(limits.checkoutsPerAccountPerMinute()).isEqualTo(20);
  }

  @Test
  void defaultsMayBeLeftOut() {
    JsonObject json = valid();
    json.getJsonObject("flags").remove("defaults");

    assertThat(read(json).flags().defaults()).isEmpty();
  }

  @Test
  void theProjectsOwnRuntimeFileIsValid() throws Exception {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/runtime.json")));

    assertThat(RuntimeSettings.from(file, "conf/runtime.json").fraud().rejectScore()).isPositive();
  }

  @Test
  void missingKeyIsNamed() {
    JsonObject json = valid();
    json.getJsonObject("fraud").remove("rejectScore");

    assertThatThrownBy(() -> read(json)).isInstanceOf(ConfigException.class)
        .hasMessage("fraud.rejectScore is missing; set it in conf/runtime.json");
  }

  @Test
  void missingSectionIsNamed() {
    JsonObject json = valid();
    json.remove("rateLimits");

    assertThatThrownBy(() -> read(json)).isInstanceOf(ConfigException.class)
        .hasMessage("rateLimits is missing; set it in conf/runtime.json");
  }

  @Test
  void wrongTypeAndRangeAreNamedWithTheValueGiven() {
    JsonObject quoted = valid();
    quoted.getJsonObject("rateLimits").put("perClientPerSecond", "50");
    JsonObject negative = valid();
    negative.getJsonObject("rateLimits").put("perClientPerSecond", -1);
    JsonObject fractional = valid();
    fractional.getJsonObject("flags").put("cacheTtlMs", 1.5);

    assertThatThrownBy(() -> read(quoted)).isInstanceOf(ConfigException.class)
        .hasMessage("rateLimits.perClientPerSecond must be an integer in [1, 100000] (got 50; set it in "
            + "conf/runtime.json)");
    assertThatThrownBy(() -> read(negative)).hasMessageStartingWith("rateLimits.perClientPerSecond must be")
        .hasMessageContaining("got -1");
    assertThatThrownBy(() -> read(fractional)).hasMessageStartingWith("flags.cacheTtlMs must be an integer");
  }

  @Test
  void reviewScoreMustBeBelowRejectScore() {
    JsonObject json = valid();
    json.getJsonObject("fraud").put("reviewScore", 900);

    assertThatThrownBy(() -> read(json)).isInstanceOf(ConfigException.class)
        .hasMessage("fraud.reviewScore must be below fraud.rejectScore (900) (got 900; set it in conf/runtime.json)");
  }

  @Test
  void unknownKeyIsRejectedSoATypoNeverPassesSilently() {
    JsonObject json = valid();
    json.getJsonObject("fraud").put("rejectscore", 950);

    assertThatThrownBy(() -> read(json)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("fraud.rejectscore is not a runtime setting")
        .hasMessageContaining("rejectScore, reviewScore");
  }

  @Test
  void flagDefaultsNeedFlagNamesAndBooleans() {
    JsonObject badName = valid();
    badName.getJsonObject("flags").getJsonObject("defaults").put("New_Checkout", true);
    JsonObject badValue = valid();
    badValue.getJsonObject("flags").getJsonObject("defaults").put("new-checkout", "yes");

    assertThatThrownBy(() -> read(badName)).hasMessageStartingWith("flags.defaults.New_Checkout must be named like");
    assertThatThrownBy(() -> read(badValue))
        .hasMessage("flags.defaults.new-checkout must be true or false (got yes; set it in conf/runtime.json)");
  }

  @Test
  void changedKeysNameEachDifferentLeaf() {
    RuntimeSettings before = read(valid());
    JsonObject json = valid();
    json.getJsonObject("fraud").put("reviewScore", 650);
    json.getJsonObject("flags").getJsonObject("defaults").remove("dark-mode");
    json.getJsonObject("flags").getJsonObject("defaults").put("express", true);

    assertThat(read(json).changedKeys(before))
        .containsExactly("flags.defaults.dark-mode", "flags.defaults.express", "fraud.reviewScore");
    assertThat(before.changedKeys(read(valid()))).isEmpty();
  }
  @Test
  void fraudModelsAreReadAndKeptInTheirJson() {
    JsonObject json = valid();
    json.getJsonObject("fraud").put("models", new JsonObject().put("payment", new JsonObject().put("bias", -4)
        .put("weights", new JsonObject().put("distinct_cards_account", 0.9).put("country_mismatch", 1))));

    RuntimeSettings settings = read(json);

    RuntimeSettings.FraudModel payment = settings.fraud().models().get("payment");
    assertThat(payment.bias()).isEqualTo(-4.0);
    assertThat(payment.weights()).isEqualTo(Map.of("distinct_cards_account", 0.9, "country_mismatch", 1.0));
    assertThat(settings.fraud().models()).doesNotContainKey("login");
    assertThat(RuntimeSettings.fromJson(settings.toJson())).isEqualTo(settings);
    assertThat(read(valid()).fraud().models()).as("models may be left out").isEmpty();
  }

  @Test
  void fraudModelsNeedKnownEventsFeatureNamesAndFiniteNumbers() {
    JsonObject unknownEvent = valid();
    unknownEvent.getJsonObject("fraud").put("models", new JsonObject().put("refund", new JsonObject()
        .put("bias", 0).put("weights", new JsonObject())));
    JsonObject badName = valid();
    badName.getJsonObject("fraud").put("models", new JsonObject().put("login", new JsonObject()
        .put("bias", 0).put("weights", new JsonObject().put("Failed-Logins", 1))));
    JsonObject badWeight = valid();
    badWeight.getJsonObject("fraud").put("models", new JsonObject().put("login", new JsonObject()
        .put("bias", 0).put("weights", new JsonObject().put("failed_logins_ip", "high"))));
    JsonObject noBias = valid();
    noBias.getJsonObject("fraud").put("models", new JsonObject().put("login", new JsonObject()
        .put("weights", new JsonObject())));

    assertThatThrownBy(() -> read(unknownEvent)).hasMessageStartingWith("fraud.models.refund is not a runtime setting")
        .hasMessageContaining("login, payment");
    assertThatThrownBy(() -> read(badName)).hasMessageStartingWith("fraud.models.login.weights.Failed-Logins must be "
        + "named like a fraud feature");
    assertThatThrownBy(() -> read(badWeight)).hasMessage("fraud.models.login.weights.failed_logins_ip must be a number "
        + "in [-1000.0, 1000.0] (got high; set it in conf/runtime.json)");
    assertThatThrownBy(() -> read(noBias)).hasMessage("fraud.models.login.bias is missing; set it in conf/runtime.json");
  }
}
