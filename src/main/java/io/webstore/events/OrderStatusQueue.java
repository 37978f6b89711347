package io.webstore.events;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.orders.OrderStatus;
import io.webstore.orders.OrdersClient;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.error.Conflict;
import io.webstore.platform.events.EventsConfig;
import io.webstore.platform.feeds.FeedOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Order status from the order management system: consumes its SQS FIFO queue ({@code {"order_id", "status",
 * "sequence"?, "tracking"?}} per message, group = order id) with long polling and moves the order through the state machine of {@code orders}. The
 * message's visibility is extended while the move is under way, and the message is deleted only once the move is
 * durable (or the order already is in that status: a redelivery). A message that cannot be read or applied is left to
 * come back; after {@code events.statusMaxReceives} receives the queue's redrive policy moves it to the dead-letter
 * queue, and the consumer goes on with the next.
 */
final class OrderStatusQueue extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OrderStatusQueue.class);
  private static final int WAIT_SECONDS = 5;

  private final SqsAsyncClient sqs;
  private final EventsConfig config;
  private final Duration callTimeout;
  private OrdersClient orders;
  private volatile boolean stopping;

  OrderStatusQueue(SqsAsyncClient sqs, EventsConfig config, Duration callTimeout) {
    this.sqs = sqs;
    this.config = config;
    this.callTimeout = callTimeout;
  }

  @Override
  public Future<?> start() {
    orders = new OrdersClient(vertx, callTimeout);
    url().onSuccess(this::receive)
        .onFailure(err -> log.warn("events.status.queue_missing queue={} error={}", config.statusQueue(),
            err.toString()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return Future.succeededFuture();
  }

  private Future<String> url() {
    return AwsFutures.on(vertx, sqs.getQueueUrl(get -> get.queueName(config.statusQueue())))
        .map(found -> found.queueUrl());
  }

  private void receive(String url) {
    if (stopping) {
      return;
    }
    AwsFutures.on(vertx, sqs.receiveMessage(receive -> receive.queueUrl(url)
            .maxNumberOfMessages(10)
            .waitTimeSeconds(WAIT_SECONDS)
            .visibilityTimeout((int) config.statusVisibility().toSeconds())
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
            // a long poll outlasts the client's usual call timeout
            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(WAIT_SECONDS + 10))
                .apiCallAttemptTimeout(Duration.ofSeconds(WAIT_SECONDS + 5)))))
        .compose(response -> {
          Future<Void> chain = Future.succeededFuture();
          for (Message message : response.messages()) { // in order: one group's messages come in its order
            chain = chain.compose(previous -> handle(url, message));
          }
          return chain;
        })
        .onFailure(err -> log.warn("events.status.receive_failed error={}", err.toString()))
        .onComplete(done -> {
          if (done.failed()) {
            vertx.setTimer(1_000, retry -> receive(url)); // the queue is unreachable: try again shortly
          } else {
            receive(url);
          }
        });
  }

  private Future<Void> handle(String url, Message message) {
    Optional<Change> change = Change.read(message.body());
    if (change.isEmpty()) {
      log.warn("events.status.malformed message={} receives={}", message.messageId(),
          message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
      // back at once: after statusMaxReceives receives the redrive policy moves it to the dead-letter queue
      return visibility(url, message, 0);
    }
    long extendEvery = Math.max(500, config.statusVisibility().toMillis() / 2);
    long extender = vertx.setPeriodic(extendEvery, tick ->
        visibility(url, message, (int) config.statusVisibility().toSeconds()));
    return apply(change.get())
        .andThen(done -> vertx.cancelTimer(extender))
        .compose(applied -> AwsFutures.on(vertx, sqs.deleteMessage(delete -> delete.queueUrl(url)
            .receiptHandle(message.receiptHandle()))).<Void>mapEmpty())
        .onSuccess(deleted -> log.info("events.status.applied order={} status={}", change.get().orderId(),
            change.get().status()))
        .recover(err -> {
          log.warn("events.status.failed order={} status={} error={}", change.get().orderId(),
              change.get().status(), err.toString());
          return Future.succeededFuture(); // it comes back after its visibility timeout
        });
  }

  /**
   * Moves the order. With a sequence, the move goes through the same deduplication as {@code supply.order-status}: a
   * report at or below the order's stored sequence is stale, and done; one that can never apply (unknown order,
   * illegal move) is left to the redrive policy. Without one, a move that finds the order already there is a
   * redelivery, and done.
   */
  private Future<Void> apply(Change change) {
    if (change.sequence().isPresent()) {
      JsonObject record = new JsonObject().put("order_id", change.orderId()).put("status", change.status())
          .put("sequence", change.sequence().getAsLong());
      change.tracking().ifPresent(tracking -> record.put("tracking", tracking));
      return orders.feed(new JsonArray().add(record)).compose(outcomes -> {
        FeedOutcome outcome = outcomes.get(0);
        return outcome.status() == FeedOutcome.Status.REJECTED
            ? Future.<Void>failedFuture(new IllegalStateException(outcome.reason()))
            : Future.<Void>succeededFuture();
      });
    }
    return orders.setStatus(change.orderId(), change.status())
        .<Void>mapEmpty()
        .recover(err -> err instanceof Conflict
            ? orders.get(change.orderId(), Optional.empty()).compose(order -> order.status().wire()
                .equals(change.status()) ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(err))
            : Future.failedFuture(err));
  }

  private Future<Void> visibility(String url, Message message, int seconds) {
    return AwsFutures.on(vertx, sqs.changeMessageVisibility(change -> change.queueUrl(url)
            .receiptHandle(message.receiptHandle()).visibilityTimeout(seconds)))
        .<Void>mapEmpty()
        .otherwise(err -> {
          log.warn("events.status.visibility_failed message={} error={}", message.messageId(), err.toString());
          return null;
        });
  }

  /**
   * One message: an order and the status the order management system reports for it, with the report's sequence
   * (monotonic per order) and tracking reference when the message carries them.
   */
  record Change(String orderId, String status, OptionalLong sequence, Optional<String> tracking) {
    static Optional<Change> read(String body) {
      try {
        JsonObject json = new JsonObject(body);
        String orderId = json.getString("order_id");
        String status = json.getString("status");
        if (orderId == null || orderId.isBlank() || status == null) {
          return Optional.empty();
        }
        OrderStatus.fromWire(status);
        Object sequence = json.getValue("sequence");
        if (sequence != null && !(sequence instanceof Number number && number.longValue() >= 0
            && number.doubleValue() == number.longValue())) {
          return Optional.empty();
        }
        return Optional.of(new Change(orderId, status,
            sequence == null ? OptionalLong.empty() : OptionalLong.of(((Number) sequence).longValue()),
            Optional.ofNullable(json.getString("tracking"))));
      } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
