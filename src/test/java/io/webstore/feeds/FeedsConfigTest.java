package io.webstore.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.webstore.platform.config.ConfigException;
import io.webstore.platform.config.ConfigLoader;
import io.webstore.platform.config.WebstoreConfig;
import io.webstore.testing.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code feeds} section as the store reads it from conf/ and overrides. */
@ExtendWith(VertxExtension.class)
class FeedsConfigTest {

  @Test
  void devReadsEveryTopicUnderItsOwnNameAndGroupWithTheDefaults(Vertx vertx) {
    FeedsConfig feeds = FeedsConfig.from(load(vertx, "dev", new JsonObject()));
    assertThat(feeds.enabled()).isTrue();
    assertThat(feeds.batchSize()).isEqualTo(500);
    assertThat(feeds.sendTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(feeds.enabledTopics()).extracting(FeedsConfig.Topic::topic)
        .containsExactly("pim.products", "supply.inventory", "supply.order-status");
    assertThat(feeds.topics().get(2).group()).isEqualTo("webstore-feed-supply.order-status");
    assertThat(feeds.topics().get(2).deadLetterTopic()).isEqualTo("supply.order-status.dlq");
    assertThat(FeedsFeature.OWNERS).containsOnlyKeys(FeedsConfig.NAMES);
  }

  @Test
  void outsideDevNothingIsConsumedUnlessTurnedOn() throws IOException {
    JsonObject application = new JsonObject(Files.readString(Path.of("conf/application.json")));
    JsonObject aws = new JsonObject(Files.readString(Path.of("conf/aws.json")));
    assertThat(application.getJsonObject("feeds").getBoolean("enabled")).isFalse();
    assertThat(aws.getJsonObject("feeds")).isNull();
  }

  @Test
  void aTopicCanBeRenamedRegroupedOrTurnedOffOnItsOwn(Vertx vertx) {
    FeedsConfig feeds = FeedsConfig.from(load(vertx, "dev", new JsonObject().put("feeds", new JsonObject()
        .put("topics", new JsonObject()
            .put("pim.products", new JsonObject().put("enabled", "false"))
            .put("supply.order-status", new JsonObject().put("topic", "oms.status").put("group", "g1"))))));
    assertThat(feeds.enabledTopics()).extracting(FeedsConfig.Topic::name)
        .containsExactly("supply.inventory", "supply.order-status");
    assertThat(feeds.topics().get(2).topic()).isEqualTo("oms.status");
    assertThat(feeds.topics().get(2).deadLetterTopic()).isEqualTo("oms.status.dlq");
    assertThat(feeds.topics().get(2).group()).isEqualTo("g1");
  }

  @Test
  void anUnknownTopicOrABadValueStopsTheStartNamingTheKey(Vertx vertx) {
    assertThatThrownBy(() -> FeedsConfig.from(load(vertx, "dev", new JsonObject().put("feeds", new JsonObject()
        .put("topics", new JsonObject().put("supply.invoices", new JsonObject()))))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("feeds.topics").hasMessageContaining("supply.invoices");
    assertThatThrownBy(() -> FeedsConfig.from(load(vertx, "dev", new JsonObject().put("feeds", new JsonObject()
        .put("topics", new JsonObject().put("supply.inventory", new JsonObject().put("enabled", "maybe")))))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("feeds.topics.supply.inventory.enabled");
    assertThatThrownBy(() -> FeedsConfig.from(load(vertx, "dev", new JsonObject().put("feeds", new JsonObject()
        .put("chunkSize", 5000)))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("feeds.chunkSize");
  }

  private static WebstoreConfig load(Vertx vertx, String profile, JsonObject overrides) {
    return Engines.await(ConfigLoader.load(vertx, Path.of("conf"), Map.of("WEBSTORE_PROFILE", profile), overrides));
  }
}
