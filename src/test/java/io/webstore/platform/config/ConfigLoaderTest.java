package io.webstore.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.events.EventsConfig;
import io.webstore.testing.Engines;
import io.webstore.testing.Stores;
import io.webstore.testing.WebstoreTest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WebstoreTest
class ConfigLoaderTest {

  static Vertx vertx;

  @BeforeAll
  static void start(Vertx classVertx) {
    vertx = classVertx;
  }

  private WebstoreConfig load(Map<String, String> env, JsonObject overrides) {
    return Engines.await(ConfigLoader.load(vertx, Path.of("conf"), env, overrides));
  }

  @Test
  void layersApplyInOrderAndEnvironmentWins() {
    WebstoreConfig dev = load(Map.of("WEBSTORE_AWS_API_CALL_TIMEOUT_MS", "750", "WEBSTORE_HTTP_CORS_ORIGINS",
        "https://shop.example, https://m.example"), new JsonObject());
    assertThat(dev.profile()).isEqualTo("dev");
    assertThat(dev.dynamo().tablePrefix()).isEqualTo("webstore-dev-"); // dev.json over application.json
    assertThat(dev.http().port()).isEqualTo(8080); // application.json
    assertThat(dev.aws().apiCallTimeout().toMillis()).isEqualTo(750); // environment
    assertThat(dev.http().corsOrigins()).containsExactly("https://shop.example", "https://m.example");
    assertThat(dev.dynamo().table("orders")).isEqualTo("webstore-dev-orders");
  }

  @Test
  void anObjectSettingComesFromTheEnvironmentAsJson() {
    WebstoreConfig config = load(Map.of("WEBSTORE_EVENTS_ROUTES",
        "{\"webstore.order.placed\": [\"oms\"], \"webstore.customer.signed-up\": [\"kafka\", \"eventbridge\"]}"),
        new JsonObject());
    EventsConfig events = EventsConfig.from(config);
    assertThat(events.destinationsOf("webstore.order.placed")).containsExactly("oms");
    assertThat(events.destinationsOf("webstore.customer.signed-up")).containsExactly("kafka", "eventbridge");
    assertThat(events.destinationsOf("webstore.order.paid")).as("the variable replaces the table").isEmpty();

    WebstoreConfig broken = load(Map.of("WEBSTORE_EVENTS_ROUTES", "oms"), new JsonObject());
    assertThatThrownBy(() -> EventsConfig.from(broken)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("events.routes must be a JSON object");
  }

  @Test
  void badValueNamesTheKeyAndTheVariable() {
    assertThatThrownBy(() -> load(Map.of("WEBSTORE_HTTP_PORT", "eighty"), new JsonObject()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port must be an integer in [0, 65535] (got eighty")
        .hasMessageContaining("WEBSTORE_HTTP_PORT");
    assertThatThrownBy(() -> load(Map.of("WEBSTORE_HTTP_PORT", "70000"), new JsonObject()))
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> load(Map.of("WEBSTORE_AUTH_MODE", "ldap"), new JsonObject()))
        .hasMessageContaining("auth.mode must be one of local, cognito (got ldap");
    assertThatThrownBy(() -> load(Map.of("WEBSTORE_HTTP_ACCESS_LOG", "yes"), new JsonObject()))
        .hasMessageContaining("http.accessLog must be true or false");
  }

  @Test
  void missingValueAndUnknownProfileAreNamed() {
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("redis", new JsonObject().putNull("uri"))))
        .hasMessageContaining("redis.uri is missing").hasMessageContaining("WEBSTORE_REDIS_URI");
    assertThatThrownBy(() -> load(Map.of("WEBSTORE_PROFILE", "prod"), new JsonObject()))
        .hasMessageContaining("WEBSTORE_PROFILE=prod").hasMessageContaining("profiles: dev, aws");
    assertThatThrownBy(() -> load(Map.of("WEBSTORE_PROFILE", "aws"), new JsonObject()))
        .hasMessageContaining("auth.jwksUrl is missing");
  }

  @Test
  void secretsNeverAppearInConfigText() {
    WebstoreConfig config = load(Map.of("WEBSTORE_ADMIN_PASSWORD", "s3cret-Value-123",
        "WEBSTORE_AWS_SECRET_ACCESS_KEY", "aws-secret-xyz"), new JsonObject());
    assertThat(config.admin().password()).contains("s3cret-Value-123");
    assertThat(config.toString()).doesNotContain("s3cret-Value-123").doesNotContain("aws-secret-xyz");
  }

  @Test
  void featureSectionsValidateWithDefaults() {
    WebstoreConfig config = load(Map.of("WEBSTORE_INVENTORY_HOLD_TTL_SECONDS", "abc"), new JsonObject());
    assertThat(config.section("cart").integerOrDefault("maxLines", 50, 1, 500)).isEqualTo(50);
    assertThatThrownBy(() -> config.section("inventory").integerOrDefault("holdTtlSeconds", 120, 1, 3600))
        .hasMessageContaining("inventory.holdTtlSeconds").hasMessageContaining("WEBSTORE_INVENTORY_HOLD_TTL_SECONDS");
  }

  @Test
  void storeStartFailsNamingTheKey(Stores stores) {
    assertThatThrownBy(() -> stores.start(new JsonObject()
            .put("http", new JsonObject().put("bodyLimitBytes", "lots"))))
        .hasMessageContaining("http.bodyLimitBytes");
  }
}
