package io.webstore.platform.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.webstore.platform.ratelimit.RateLimiter.Bucket;
import io.webstore.platform.ratelimit.RateLimiter.Decision;
import io.webstore.platform.ratelimit.RateLimiter.Lease;
import io.webstore.platform.ratelimit.RateLimiter.WhenDown;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A limit that is asked on every request, answered mostly in process: instead of one Redis round trip per request,
 * this takes tokens from the subject's Redis bucket a few at a time (a lease) and admits from them locally until they
 * are used up or {@code leaseTime} old; the next lease gives back what is left of the last. Redis stays the one
 * bucket of all instances, and no more requests are admitted than it handed out.
 *
 * <p>What changes against asking Redis every time: a token is taken up to {@code leaseTime} before the request it
 * admits, so over any window an instance admits at most {@code perSecond × leaseTime} more than the bucket would have
 * at that moment; and tokens an instance holds are not there for the others until it gives them back, so a client
 * spread over many instances may be refused a little early. A lease holds at most {@code perSecond × leaseTime}
 * tokens (at least one) and starts at one token for each subject, doubling only while the subject uses its lease up
 * within its time: a client far below its limit costs a round trip per request, as before, and a flood only a few per
 * lease time. With a limit below {@code 1 / leaseTime} per second every lease is one token, which is the exact limit.
 *
 * <p>Not thread-safe by design: one per event loop (each HTTP verticle has its own), used only from it.
 */
public final class LocalShares {

  /** Subjects remembered at once; the least recently seen one is forgotten first (its leftover tokens with it). */
  static final int MAX_SUBJECTS = 10_000;

  private static final Future<Decision> ALLOWED = Future.succeededFuture(Decision.ALLOWED);

  private final RateLimiter limiter;
  private final long leaseNanos;
  private final double leaseSeconds;
  /** Each limit's counter of requests admitted from a share, found without building a meter id per request. */
  private final Map<String, Counter> allowed = new HashMap<>();
  private final Map<String, Share> shares = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Share> eldest) {
      return size() > MAX_SUBJECTS;
    }
  };

  /** Shares of {@code limiter}'s buckets held for {@code leaseTime} at most; zero asks Redis for every request. */
  public LocalShares(RateLimiter limiter, Duration leaseTime) {
    this.limiter = limiter;
    this.leaseNanos = leaseTime.toNanos();
    this.leaseSeconds = leaseTime.toNanos() / 1e9;
  }

  /**
   * Takes one token of {@code bucket} for a request, counted under {@code limit} as {@link RateLimiter#decide} counts
   * it. Fails only with {@code Unavailable}, when Redis is down and {@code whenDown} is {@link WhenDown#REFUSE}.
   */
  public Future<Decision> take(String limit, Bucket bucket, WhenDown whenDown) {
    if (leaseNanos == 0) {
      return limiter.decide(limit, RateLimiter.Mode.TAKE, List.of(bucket), whenDown);
    }
    Share share = shares.get(bucket.key());
    if (share == null || share.capacity != bucket.capacity() || share.perSecond != bucket.perSecond()) {
      share = new Share(bucket.capacity(), bucket.perSecond()); // a changed limit starts afresh
      shares.put(bucket.key(), share);
    }
    return take(share, limit, bucket, whenDown);
  }

  private Future<Decision> take(Share share, String limit, Bucket bucket, WhenDown whenDown) {
    if (share.pending != null && !share.pending.isComplete()) {
      // a lease is on its way: wait for it rather than ask Redis once more for the same subject
      return share.pending.compose(lease -> {
        if (lease.tokens() > 0) {
          return take(share, limit, bucket, whenDown);
        }
        count(limit, lease.decision());
        return Future.succeededFuture(lease.decision());
      });
    }
    boolean fresh = share.leased && System.nanoTime() - share.leasedAt < leaseNanos;
    if (share.left > 0 && fresh) {
      share.left--;
      allowed.computeIfAbsent(limit, name -> limiter.decisions(name, "allowed")).increment();
      return ALLOWED;
    }
    if (share.leased && fresh) {
      share.size = (int) Math.min(Integer.MAX_VALUE, share.size * 2L); // used up in time: the subject is busy
    } else if (share.leased && share.left > 0) {
      share.size /= 2; // left over: it is not
    }
    int most = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(bucket.perSecond() * leaseSeconds)));
    share.size = Math.max(1, Math.min(most, share.size));
    int unused = share.left;
    share.left = 0;
    share.leased = false;
    Future<Lease> lease = limiter.lease(limit, bucket, share.size, unused, whenDown).andThen(done -> {
      if (done.succeeded() && done.result().tokens() > 0) {
        share.left = done.result().tokens() - 1; // one is this request's
        share.leasedAt = System.nanoTime();
        share.leased = true;
      }
    });
    share.pending = lease;
    return lease.map(Lease::decision);
  }

  private void count(String limit, Decision decision) {
    limiter.count(limit, decision.allowed() ? "redis_down_allowed" : "limited");
  }

  /** What this event loop holds of one subject's bucket. */
  private static final class Share {
    final int capacity;
    final double perSecond;
    int size = 1;
    int left;
    boolean leased;
    long leasedAt;
    Future<Lease> pending;

    Share(int capacity, double perSecond) {
      this.capacity = capacity;
      this.perSecond = perSecond;
    }
  }
}
