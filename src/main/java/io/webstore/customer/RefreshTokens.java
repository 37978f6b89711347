package io.webstore.customer;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * The local issuer's refresh tokens, kept by their SHA-256 (a stolen table does not yield usable tokens). Each token
 * is single-use: {@link #consume} succeeds once; using a token again revokes its whole family (every token descended
 * from the same login), as a replayed refresh token means it was stolen. Failures are {@code Unauthorized}.
 */
interface RefreshTokens {

  /** What a refresh token grants: new tokens for this customer, within its family, until it expires. */
  record Grant(String customerId, EmailAddress email, String familyId, Instant expiresAt) {}

  /** Records a new token by its hash. */
  Future<Void> issue(String tokenHash, Grant grant);

  /**
   * Uses a token up and answers its grant; {@code Unauthorized} when it is unknown, expired, revoked or was used
   * before (which also revokes its family). Of concurrent uses of one token exactly one succeeds.
   */
  Future<Grant> consume(String tokenHash, Instant now);

  /** Revokes every token of a family, used or not. */
  Future<Void> revokeFamily(String familyId);
}
