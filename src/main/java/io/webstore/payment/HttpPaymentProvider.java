package io.webstore.payment;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.webstore.platform.money.Amount;
import java.net.URI;
import java.time.Duration;

/**
 * The adapter of a real provider, on the Vert.x web client. Timeouts, retries and the circuit breaker are applied
 * around it by {@link ProviderCalls}; this class speaks the protocol and sorts failures into retryable or not.
 *
 * <h2>Protocol</h2>
 * JSON over HTTP(S), one {@code POST} per operation, relative to the configured base URL ({@code payment.httpUrl}):
 * <pre>
 * POST v1/authorizations {"payment_key", "amount": "12.34", "currency": "EUR", "token"}
 *   → 200 {"status": "approved", "reference": "...", "review": false}
 *   → 200 {"status": "declined", "decline_code": "insufficient_funds" | "card_declined" | ...}
 * POST v1/captures {"reference", "amount", "currency"}   → 200
 * POST v1/voids    {"payment_key"}                       → 200 (also when the key has no authorization)
 * POST v1/refunds  {"reference", "amount", "currency"}   → 200
 * </pre>
 * Every request carries {@code Authorization: Bearer <payment.httpSecret>} and {@code Idempotency-Key: <operation
 * key>}; the provider answers a repeated key with its first answer. Status 408, 409 (a request with that key still
 * running), 429 and 5xx, and connection failures, are retryable; any other status is not (the request is wrong).
 * The secret and the token are never logged, nor put in a failure's message.
 */
final class HttpPaymentProvider implements PaymentProvider {

  private final WebClient client;
  private final URI base;
  private final String authorization;
  private final Duration timeout;

  HttpPaymentProvider(Vertx vertx, URI base, String secret, Duration timeout) {
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
        .setIdleTimeout(60)
        .setUserAgent("webstore-payments"));
    String path = base.toString();
    this.base = URI.create(path.endsWith("/") ? path : path + "/");
    this.authorization = "Bearer " + secret;
    this.timeout = timeout;
  }

  @Override
  public Future<ProviderDecision> authorize(String key, Amount amount, String token) {
    return post("v1/authorizations", key, new JsonObject().put("payment_key", key).put("amount", amount.text())
        .put("currency", amount.currency()).put("token", token))
        .map(body -> switch (body.getString("status", "")) {
          case "approved" -> ProviderDecision.approved(body.getString("reference", ""),
              body.getBoolean("review", false));
          case "declined" -> ProviderDecision.declined(body.getString("decline_code", Declines.CARD_DECLINED));
          default -> throw new ProviderFailure("bad_answer", false);
        });
  }

  @Override
  public Future<Void> capture(String operationKey, String reference, Amount amount) {
    return post("v1/captures", operationKey, new JsonObject().put("reference", reference)
        .put("amount", amount.text()).put("currency", amount.currency())).mapEmpty();
  }

  @Override
  public Future<Void> voidAuthorization(String operationKey, String key) {
    return post("v1/voids", operationKey, new JsonObject().put("payment_key", key)).mapEmpty();
  }

  @Override
  public Future<Void> refund(String operationKey, String reference, Amount amount) {
    return post("v1/refunds", operationKey, new JsonObject().put("reference", reference)
        .put("amount", amount.text()).put("currency", amount.currency())).mapEmpty();
  }

  private Future<JsonObject> post(String path, String idempotencyKey, JsonObject body) {
    URI target = base.resolve(path);
    int port = target.getPort() > 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
    return client.post(port, target.getHost(), target.getRawPath())
        .ssl("https".equals(target.getScheme()))
        .timeout(timeout.toMillis())
        .putHeader("Authorization", authorization)
        .putHeader("Idempotency-Key", idempotencyKey)
        .sendJsonObject(body)
        .recover(err -> Future.failedFuture(new ProviderFailure("connection", true)))
        .map(HttpPaymentProvider::answer);
  }

  private static JsonObject answer(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      try {
        JsonObject body = response.bodyAsJsonObject();
        return body == null ? new JsonObject() : body;
      } catch (RuntimeException e) {
        throw new ProviderFailure("bad_answer", false);
      }
    }
    boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
    throw new ProviderFailure("http_" + status, retryable);
  }
}
