package io.webstore.customer;

import io.vertx.core.Future;
import io.webstore.platform.error.Unauthorized;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@link RefreshTokens} in memory (tests only): the same single use and family revocation as the DynamoDB adapter. */
final class InMemoryRefreshTokens implements RefreshTokens {

  private static final String INVALID = "the refresh token is invalid, expired or revoked";

  private final Map<String, Grant> tokens = new HashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Set<String> revokedFamilies = new HashSet<>();

  @Override
  public synchronized Future<Void> issue(String tokenHash, Grant grant) {
    tokens.putIfAbsent(tokenHash, grant);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Grant> consume(String tokenHash, Instant now) {
    Grant grant = tokens.get(tokenHash);
    if (grant == null) {
      return Future.failedFuture(new Unauthorized(INVALID));
    }
    if (!used.add(tokenHash)) {
      revokedFamilies.add(grant.familyId());
      return Future.failedFuture(new Unauthorized(INVALID));
    }
    if (!grant.expiresAt().isAfter(now) || revokedFamilies.contains(grant.familyId())) {
      return Future.failedFuture(new Unauthorized(INVALID));
    }
    return Future.succeededFuture(grant);
  }

  @Override
  public synchronized Future<Void> revokeFamily(String familyId) {
    revokedFamilies.add(familyId);
    return Future.succeededFuture();
  }
}
