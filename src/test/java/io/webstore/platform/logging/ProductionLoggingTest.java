package io.webstore.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The packaged service's logback.xml (tests themselves log through logback-test.xml). */
class ProductionLoggingTest {

  @Test
  void infoForTheStoreWarnForTheSdkAndNettyTextByDefault() throws JoranException {
    LoggerContext context = configure(Map.of());
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.webstore").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("software.amazon.awssdk.request").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.apache.kafka.clients").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.vertx.core").isDebugEnabled()).isFalse();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text")).isNotNull();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json")).isNull();
    context.stop();
  }

  @Test
  void jsonLinesWhenAsked() throws JoranException {
    LoggerContext context = configure(Map.of("WEBSTORE_LOG_FORMAT", "json"));
    var appender = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    assertThat(((ConsoleAppender<?>) appender).getEncoder()).isInstanceOf(JsonEncoder.class);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("text")).isNull();
    context.stop();
  }

  private static LoggerContext configure(Map<String, String> properties) throws JoranException {
    URL config = ProductionLoggingTest.class.getClassLoader().getResource("logback.xml");
    assertThat(config).as("src/main/resources/logback.xml on the classpath").isNotNull();
    assertThat(config.getPath()).doesNotContain("test-classes");
    LoggerContext context = new LoggerContext();
    properties.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .as("logback reported no errors").noneMatch(status -> status.getLevel() == Status.ERROR);
    return context;
  }
}
