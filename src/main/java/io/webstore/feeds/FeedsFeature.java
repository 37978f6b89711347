package io.webstore.feeds;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.webstore.catalog.CatalogClient;
import io.webstore.inventory.InventoryClient;
import io.webstore.orders.OrdersClient;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds in: one {@link FeedConsumer} per enabled topic of {@code feeds.topics}, each in its own consumer group, handing
 * the records to the feature that owns them. Nothing is consumed unless {@code feeds.enabled}. With {@code
 * kafka.createTopics} (dev), the configured topics and their dead-letter topics are created first. Deployed after
 * the features whose {@code *.feed} addresses it calls.
 */
public final class FeedsFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(FeedsFeature.class);
  private static final int DEV_PARTITIONS = 3;

  /** The owning feature's address of each topic, by logical name. */
  static final Map<String, String> OWNERS = Map.of(
      "pim.products", CatalogClient.FEED,
      "supply.inventory", InventoryClient.FEED,
      "supply.order-status", OrdersClient.FEED);

  @Override
  public String name() {
    return "feeds";
  }

  @Override
  public Future<?> deploy(Services services) {
    FeedsConfig feeds = FeedsConfig.from(services.config());
    List<FeedsConfig.Topic> topics = feeds.enabledTopics();
    if (!feeds.enabled() || topics.isEmpty()) {
      log.info("feeds.off enabled={} topics={}", feeds.enabled(), topics.size());
      return Future.succeededFuture(List.of());
    }
    String bootstrap = services.config().kafka().bootstrapServers();
    Future<Void> created = services.config().kafka().createTopics()
        ? services.startup().retry("kafka", "feed-topics", () -> createTopics(services, topics))
        : Future.succeededFuture();
    return created.compose(done -> {
      List<Future<String>> deployed = new ArrayList<>();
      for (FeedsConfig.Topic topic : topics) {
        deployed.add(services.vertx().deployVerticle(new FeedConsumer(feeds, topic, OWNERS.get(topic.name()),
            bootstrap, services.meters())));
      }
      return Future.all(deployed).map(all -> deployed.stream().map(Future::result).toList());
    });
  }

  /** Dev only: the feed topics and their dead-letter topics, when missing. */
  private static Future<Void> createTopics(Services services, List<FeedsConfig.Topic> topics) {
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", services.config().kafka().bootstrapServers());
    settings.put("request.timeout.ms", String.valueOf(services.config().health().checkTimeout().toMillis()));
    settings.put("default.api.timeout.ms", String.valueOf(services.config().health().checkTimeout().toMillis() * 3));
    // the store built its own admin client on a worker thread at boot, so the client's classes are loaded already
    KafkaAdminClient admin = KafkaAdminClient.create(services.vertx(), settings);
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = new ArrayList<>();
      for (FeedsConfig.Topic topic : topics) {
        for (String name : List.of(topic.topic(), topic.deadLetterTopic())) {
          if (!existing.contains(name)) {
            missing.add(new NewTopic(name, DEV_PARTITIONS, (short) 1));
          }
        }
      }
      return missing.isEmpty() ? Future.<Void>succeededFuture() : admin.createTopics(missing)
          .recover(err -> err instanceof TopicExistsException // another store, or our own lost reply
              ? Future.succeededFuture()
              : Future.failedFuture(err));
    }).andThen(done -> admin.close());
  }
}
