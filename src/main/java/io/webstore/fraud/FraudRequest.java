package io.webstore.fraud;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One event to score. Only {@code event} and {@code ip} are required; every other field is {@code null} when unknown,
 * and an unknown field contributes nothing to the score.
 *
 * @param event            login or payment
 * @param account          the customer id (payments); a login is counted by its email instead
 * @param email            the email a login names (hashed before it is used as a key; never stored as is)
 * @param ip               the client's address
 * @param deviceId         a device identifier the client sent, if any
 * @param cardToken        the payment token (hashed with a keyed hash at once; never stored or logged)
 * @param cardFingerprint  a fingerprint already computed by {@link FraudClient#fingerprint}-compatible means
 * @param amount           the payment's amount
 * @param currency         its ISO 4217 code
 * @param shippingCountry  ISO 3166 alpha-2 of the shipping address
 * @param billingCountry   ISO 3166 alpha-2 of the billing address
 * @param accountCreatedAt when the customer's account was created
 */
public record FraudRequest(FraudEvent event, String account, String email, String ip, String deviceId,
    String cardToken, String cardFingerprint, BigDecimal amount, String currency, String shippingCountry,
    String billingCountry, Instant accountCreatedAt) {

  public FraudRequest {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(ip, "ip");
  }

  /** A login attempt for {@code email} from {@code ip}. */
  public static FraudRequest login(String email, String ip) {
    return new FraudRequest(FraudEvent.LOGIN, null, email, ip, null, null, null, null, null, null, null, null);
  }

  /** A payment by {@code account} from {@code ip} with the card behind {@code cardToken}. */
  public static FraudRequest payment(String account, String ip, String cardToken, BigDecimal amount, String currency) {
    return new FraudRequest(FraudEvent.PAYMENT, account, null, ip, null, cardToken, null, amount, currency, null, null,
        null);
  }

  public FraudRequest withDevice(String device) {
    return new FraudRequest(event, account, email, ip, device, cardToken, cardFingerprint, amount, currency,
        shippingCountry, billingCountry, accountCreatedAt);
  }

  public FraudRequest withCountries(String shipping, String billing) {
    return new FraudRequest(event, account, email, ip, deviceId, cardToken, cardFingerprint, amount, currency,
        shipping, billing, accountCreatedAt);
  }

  public FraudRequest withAccountCreatedAt(Instant created) {
    return new FraudRequest(event, account, email, ip, deviceId, cardToken, cardFingerprint, amount, currency,
        shippingCountry, billingCountry, created);
  }

  /** Never prints the card token. */
  @Override
  public String toString() {
    return "FraudRequest[event=" + event.wireName() + ", card=" + (cardToken != null || cardFingerprint != null)
        + "]";
  }
}
