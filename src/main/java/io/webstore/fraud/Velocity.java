package io.webstore.fraud;

import io.vertx.core.Future;

/** Sliding-window counters of attempts, cards and failed logins (port; {@link RedisVelocity} in every profile). */
interface Velocity {

  /** Counts this attempt and answers what is known about its subjects, in one round trip. */
  Future<Signals.Counts> observe(Subjects subjects);

  /** Counts a failed login for the email and the address. */
  Future<Void> loginFailed(String accountKey, String ip);

  /**
   * Who an attempt is about, already reduced to keys (no email, no card token).
   *
   * @param event           login or payment (attempt windows are per event)
   * @param account         the customer id, or a digest of the login's email; {@code null} when unknown
   * @param loginKey        the digest of the email failed logins are counted by, or {@code null}
   * @param ip              the client's address
   * @param device          the device id, or {@code null}
   * @param cardFingerprint the card's keyed hash, or {@code null}
   * @param amount          the payment's amount as a decimal string, or {@code null}
   * @param currency        its currency (history is per currency), or {@code null}
   */
  record Subjects(FraudEvent event, String account, String loginKey, String ip, String device, String cardFingerprint, String amount,
      String currency) {}
}
