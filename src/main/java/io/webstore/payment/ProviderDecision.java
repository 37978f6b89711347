package io.webstore.payment;

/**
 * The provider's answer to an authorization.
 *
 * @param reference the provider's id of the authorization (approved only)
 * @param declineCode why it was declined ({@link Declines}); empty when approved
 * @param review the provider flags the card as risky (approved anyway; the fraud tier decides)
 */
record ProviderDecision(boolean approved, String reference, String declineCode, boolean review) {

  static ProviderDecision approved(String reference, boolean review) {
    return new ProviderDecision(true, reference, "", review);
  }

  static ProviderDecision declined(String code) {
    return new ProviderDecision(false, "", code, false);
  }
}
