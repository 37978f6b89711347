package io.webstore.fraud;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Services;
import io.webstore.platform.bootstrap.Feature;
import java.util.Optional;

/**
 * Fraud scoring of logins and payments: {@link FraudVerticle} on {@code fraud.score} (needs the runtime settings
 * feature deployed first), with the local scorer or, by {@code fraud.scorer}, a SageMaker endpoint or an Amazon Fraud
 * Detector detector in front of it.
 */
public final class FraudFeature implements Feature {

  @Override
  public String name() {
    return "fraud";
  }

  @Override
  public Future<?> deploy(Services services) {
    FraudSettings settings = FraudSettings.from(services.config());
    Optional<RemoteScorer> remote = switch (settings.scorer()) {
      case "sagemaker" -> Optional.of(SageMakerScorer.create(services.vertx(), services.config().aws(), settings));
      case "frauddetector" -> Optional.of(FraudDetectorScorer.create(services.vertx(), services.config().aws(), settings));
      default -> Optional.empty();
    };
    return services.vertx().deployVerticle(new FraudVerticle(services.redisApi(), settings, remote,
        services.meters()));
  }
}
