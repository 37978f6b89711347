package io.webstore.platform.error;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way consumers fail a request and clients turn the failure back into a {@link DomainException}. A domain
 * failure travels as {@code msg.fail(kind.code(), json)} with its detail and extensions; anything else is logged once
 * here and sent as code {@value Kind#INTERNAL_CODE} without its message, so no internals leave the process.
 */
public final class Replies {

  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  public static void fail(Message<?> msg, Throwable err) {
    if (err instanceof DomainException domain) {
      msg.fail(domain.kind().code(),
          new JsonObject().put("detail", domain.detail()).put("extensions", domain.extensions()).encode());
    } else if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      msg.fail(reply.failureCode(), reply.getMessage()); // relay a downstream consumer's failure unchanged
    } else if (err instanceof ReplyException reply) {
      msg.fail(Kind.UNAVAILABLE.code(), new JsonObject()
          .put("detail", "a dependency did not answer (" + reply.failureType() + ")")
          .put("extensions", new JsonObject()).encode());
    } else {
      log.error("bus.failure address={} error={}", msg.address(), err.toString(), err);
      msg.fail(Kind.INTERNAL_CODE, "internal error");
    }
  }

  /** Maps an event-bus failure to the domain exception it carries; other failures pass through. */
  public static Throwable toDomain(Throwable err) {
    if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      Kind kind = Kind.fromCode(reply.failureCode());
      if (kind != null) {
        JsonObject body = parse(reply.getMessage());
        return DomainException.of(kind, body.getString("detail", kind.title()),
            body.getJsonObject("extensions", new JsonObject()));
      }
    }
    if (err instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.TIMEOUT || reply.failureType() == ReplyFailure.NO_HANDLERS)) {
      return new Unavailable("a service did not answer in time; retry shortly");
    }
    return err;
  }

  /** {@code future.recover(Replies::recover)} in typed clients. */
  public static <T> Future<T> recover(Throwable err) {
    return Future.failedFuture(toDomain(err));
  }

  private static JsonObject parse(String message) {
    try {
      return message == null ? new JsonObject() : new JsonObject(message);
    } catch (RuntimeException notJson) {
      return new JsonObject().put("detail", message);
    }
  }
}
