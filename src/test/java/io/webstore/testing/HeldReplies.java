package io.webstore.testing;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Holds back the reply of a chosen SDK call until the test releases it, so a request of the store is deterministically
 * still in flight while the test does something else. Nothing blocks: the reply's body is handed to the SDK only once
 * the hold is released. Registered for every SDK client of the test JVM through the SDK's global interceptor file;
 * inert until a test {@linkplain #hold holds} a call. A hold must be released well within the SDK's attempt timeout.
 */
public final class HeldReplies implements ExecutionInterceptor {

  private static final Queue<Hold> HOLDS = new ConcurrentLinkedQueue<>();

  /** One held call. */
  public static final class Hold implements AutoCloseable {
    private final Predicate<SdkRequest> matches;
    private final AtomicBoolean taken = new AtomicBoolean();
    private final CompletableFuture<Void> holding = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    private Hold(Predicate<SdkRequest> matches) {
      this.matches = matches;
    }

    /** Whether the chosen call has reached the engine and its reply is being held. */
    public boolean holding() {
      return holding.isDone();
    }

    /** Lets the held reply go on to the SDK. */
    public void release() {
      released.complete(null);
    }

    @Override
    public void close() {
      HOLDS.remove(this);
      release();
    }
  }

  /** Holds the reply of the first call that {@code matches}; release it (or close the hold) in every case. */
  public static Hold hold(Predicate<SdkRequest> matches) {
    Hold hold = new Hold(matches);
    HOLDS.add(hold);
    return hold;
  }

  @Override
  public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    Optional<Publisher<ByteBuffer>> body = context.responsePublisher();
    if (HOLDS.isEmpty() || body.isEmpty()) {
      return body;
    }
    for (Hold hold : HOLDS) {
      if (hold.matches.test(context.request()) && hold.taken.compareAndSet(false, true)) {
        Publisher<ByteBuffer> original = body.get();
        hold.holding.complete(null);
        return Optional.of(subscriber -> hold.released.whenComplete((done, err) -> original.subscribe(subscriber)));
      }
    }
    return body;
  }
}
