package io.webstore.platform.config;

import io.vertx.core.Future;
import io.webstore.platform.bootstrap.Feature;
import io.webstore.platform.bootstrap.Services;

/**
 * The watched runtime settings file ({@code runtime.file}, the EFS-mounted shared config in AWS). Deployed before
 * the features that read it at start.
 */
public final class RuntimeSettingsFeature implements Feature {

  @Override
  public String name() {
    return "runtime";
  }

  @Override
  public Future<?> deploy(Services services) {
    return services.vertx().deployVerticle(
        new RuntimeSettingsVerticle(services.config().runtime(), services.meters()));
  }
}
