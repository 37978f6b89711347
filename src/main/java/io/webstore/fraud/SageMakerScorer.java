package io.webstore.fraud;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.webstore.platform.aws.AwsFutures;
import io.webstore.platform.config.WebstoreConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeAsyncClient;

/**
 * A fraud model the retailer hosts on a SageMaker endpoint ({@code InvokeEndpoint}). The request's features go as one
 * CSV row in {@link Signals#NAMES} order (the built-in XGBoost and linear-learner containers' input), or as JSON
 * {@code {"event", "features": {name: value}}}. The answer is the score: a bare number ({@code 0.87}, the CSV
 * containers' output), or JSON with {@code score} or {@code predictions[0].score} (linear learner).
 */
final class SageMakerScorer implements RemoteScorer {

  static final String NAME = "sagemaker";

  private final Vertx vertx;
  private final SageMakerRuntimeAsyncClient client;
  private final FraudSettings.SageMaker endpoint;

  SageMakerScorer(Vertx vertx, SageMakerRuntimeAsyncClient client, FraudSettings.SageMaker endpoint) {
    this.vertx = vertx;
    this.client = client;
    this.endpoint = endpoint;
  }

  static SageMakerScorer create(Vertx vertx, WebstoreConfig.Aws aws, FraudSettings settings) {
    FraudSettings.SageMaker endpoint = settings.sageMaker().orElseThrow();
    return new SageMakerScorer(vertx, RemoteClients.configure(SageMakerRuntimeAsyncClient.builder(), aws,
        settings.remoteTimeout(), endpoint.endpoint()).build(), endpoint);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<RemoteScore> score(FraudRequest request, Signals signals) {
    String body = endpoint.contentType().equals("text/csv") ? csv(signals) : json(request, signals);
    return AwsFutures.on(vertx, client.invokeEndpoint(call -> call
            .endpointName(endpoint.endpointName())
            .contentType(endpoint.contentType())
            .accept("application/json, text/csv")
            .body(SdkBytes.fromUtf8String(body))))
        .map(response -> new RemoteScore(parse(response.body().asUtf8String()), List.of()));
  }

  static String csv(Signals signals) {
    return signals.values().values().stream().map(value -> String.format(Locale.ROOT, "%.6f", value))
        .collect(Collectors.joining(","));
  }

  private static String json(FraudRequest request, Signals signals) {
    JsonObject features = new JsonObject();
    signals.values().forEach(features::put);
    return new JsonObject().put("event", request.event().wireName()).put("features", features).encode();
  }

  /** The score in any of the shapes the common containers answer. */
  static double parse(String body) {
    String text = body.trim();
    Object parsed;
    try {
      parsed = text.startsWith("{") || text.startsWith("[") ? Json.decodeValue(text) : Double.valueOf(
          text.split("[,\\n]")[0].trim());
    } catch (DecodeException | NumberFormatException e) {
      throw new IllegalStateException("the SageMaker endpoint answered no score", e);
    }
    if (parsed instanceof JsonObject object && object.getValue("predictions") instanceof JsonArray predictions
        && !predictions.isEmpty()) {
      parsed = predictions.getValue(0);
    } else if (parsed instanceof JsonArray array && !array.isEmpty()) {
      parsed = array.getValue(0);
    }
    if (parsed instanceof JsonObject object) {
      parsed = object.getValue("score");
    } else if (parsed instanceof Map<?, ?> map) {
      parsed = map.get("score");
    }
    if (!(parsed instanceof Number number)) {
      throw new IllegalStateException("the SageMaker endpoint answered no score");
    }
    return number.doubleValue();
  }

  @Override
  public void close() {
    client.close();
  }
}
