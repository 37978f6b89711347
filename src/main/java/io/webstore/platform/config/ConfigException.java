package io.webstore.platform.config;

/** A missing or bad configuration value; the message names the key and where to set it. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
