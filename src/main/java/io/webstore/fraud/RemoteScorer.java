package io.webstore.fraud;

import io.vertx.core.Future;
import java.util.List;

/**
 * A fraud model served elsewhere (port; {@link SageMakerScorer}, {@link FraudDetectorScorer}). It gets the request
 * and the local features, and answers a score in [0, 1]; the thresholds of the runtime settings turn it into a
 * decision, and the failure policy of the event decides when it does not answer in time.
 */
interface RemoteScorer {

  /** The scorer's name in config, verdicts and metrics. */
  String name();

  Future<RemoteScore> score(FraudRequest request, Signals signals);

  /** A remote answer: the score and what the service said about it (rule outcomes), if anything. */
  record RemoteScore(double score, List<String> reasons) {
    public RemoteScore {
      if (!(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("a fraud score is in [0, 1], got " + score);
      }
      reasons = List.copyOf(reasons);
    }
  }

  /** Releases the SDK client (its close waits for its threads: call off the event loop). */
  void close();
}
