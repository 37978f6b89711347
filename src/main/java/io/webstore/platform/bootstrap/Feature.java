package io.webstore.platform.bootstrap;

import io.vertx.core.Future;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.webstore.platform.aws.TableSpec;
import java.util.List;

/**
 * A capability of the store: the verticles that own its event-bus addresses, the HTTP operations that translate to
 * them, and the tables it needs. {@link io.webstore.WebStore} deploys every enabled feature.
 */
public interface Feature {

  /** Short name used in config ({@code features.disabled}) and logs. */
  String name();

  /** DynamoDB tables this feature owns (created in dev, checked for readiness in aws). */
  default List<TableSpec> tables() {
    return List.of();
  }

  /** Deploys the feature's verticles; completes when their consumers are registered. */
  Future<?> deploy(Services services);

  /** Binds this feature's operationIds in the OpenAPI contract to handlers; called once per HTTP verticle. */
  default void mount(RouterBuilder builder, Services services) {}

  /** Work after every feature is deployed, before the store reports ready (for example demo data). */
  default Future<?> afterDeploy(Services services) {
    return Future.succeededFuture();
  }
}
