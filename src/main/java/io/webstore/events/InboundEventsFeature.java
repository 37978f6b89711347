package io.webstore.events;

import io.vertx.core.Future;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Events from other services, inbound: {@link InboundEventsVerticle} puts what a rule on the EventBridge bus sends to
 * the inbound SQS queue on the local event bus at {@code events.<type>}. With {@code sqs.createQueues} (dev) the queue
 * and its dead-letter queue are created at start; {@code eventbridge.inboundEnabled=false} deploys nothing.
 */
public final class InboundEventsFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(InboundEventsFeature.class);

  @Override
  public String name() {
    return "inbound-events";
  }

  @Override
  public Future<?> deploy(Services services) {
    EventBridgeSettings settings = EventBridgeSettings.from(services.config());
    if (!settings.inboundEnabled()) {
      return Future.succeededFuture(List.of());
    }
    Future<Void> queues = services.config().sqs().createQueues()
        ? services.startup().retry("sqs", "inbound-queues", () -> createQueues(services, settings))
        : Future.succeededFuture();
    return queues.compose(ready -> services.vertx().deployVerticle(
        new InboundEventsVerticle(services.aws().sqs(), settings, services.meters())));
  }

  /**
   * The inbound queue with a redrive policy to its dead-letter queue (dev only); idempotent. A queue of that name that
   * another store made with other settings is kept as it is: its consumer works the same.
   */
  private static Future<Void> createQueues(Services services, EventBridgeSettings settings) {
    var sqs = services.aws().sqs();
    var vertx = services.vertx();
    return AwsFutures.on(vertx, sqs.createQueue(create -> create.queueName(settings.inboundDeadLetterQueue())))
        .compose(dlq -> AwsFutures.on(vertx, sqs.getQueueAttributes(get -> get.queueUrl(dlq.queueUrl())
            .attributeNames(QueueAttributeName.QUEUE_ARN))))
        .compose(dlq -> AwsFutures.on(vertx, sqs.createQueue(create -> create.queueName(settings.inboundQueue())
            .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\""
                + settings.inboundMaxReceives() + "\",\"deadLetterTargetArn\":\""
                + dlq.attributes().get(QueueAttributeName.QUEUE_ARN) + "\"}")))))
        .<Void>mapEmpty()
        .recover(err -> {
          if (!(err instanceof QueueNameExistsException)) {
            return Future.failedFuture(err);
          }
          log.info("provision.queue.kept queue={} reason=exists_with_other_settings", settings.inboundQueue());
          return Future.succeededFuture();
        })
        .onSuccess(done -> log.info("provision.queue.ready queue={} dlq={}", settings.inboundQueue(),
            settings.inboundDeadLetterQueue()));
  }
}
