package io.webstore.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Loses the reply of a chosen SDK call after the engine applied it: the request reaches the engine and succeeds
 * there, then this attempt is answered with a retryable 500, so the SDK retries a write that already landed. This is
 * how a slow machine fails (the reply comes after the attempt timeout), made deterministic.
 *
 * <p>Registered for every SDK client of the test JVM through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in test resources); inert until a test
 * {@linkplain #arm arms} it. Each arm fires once, on the first successful call its predicate matches.
 */
public final class LostReplies implements ExecutionInterceptor {

  private static final Queue<Arm> ARMED = new ConcurrentLinkedQueue<>();
  private static final ExecutionAttribute<Boolean> LOST = new ExecutionAttribute<>("webstore.test.lostReply");
  private static final byte[] ERROR = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
      + "\"message\":\"reply lost (injected by the test)\"}").getBytes(StandardCharsets.UTF_8);

  /** One armed fault. */
  public static final class Arm implements AutoCloseable {
    private final String description;
    private final Predicate<SdkRequest> matches;
    private final AtomicBoolean spent = new AtomicBoolean();
    private final AtomicInteger fired = new AtomicInteger();

    private Arm(String description, Predicate<SdkRequest> matches) {
      this.description = description;
      this.matches = matches;
    }

    /** How many replies this arm has lost (0 or 1): a test asserts 1, or its fault never happened. */
    public int fired() {
      return fired.get();
    }

    @Override
    public void close() {
      ARMED.remove(this);
    }

    @Override
    public String toString() {
      return description;
    }
  }

  /** Loses the reply of the first successful call that {@code matches}; close the arm when done. */
  public static Arm arm(String description, Predicate<SdkRequest> matches) {
    Arm arm = new Arm(description, matches);
    ARMED.add(arm);
    return arm;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attributes.putAttribute(LOST, false); // per attempt: the retry of a lost reply gets its real answer
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    SdkHttpResponse response = context.httpResponse();
    if (ARMED.isEmpty() || response.statusCode() != 200) {
      return response;
    }
    for (Arm arm : ARMED) {
      if (arm.matches.test(context.request()) && arm.spent.compareAndSet(false, true)) {
        arm.fired.incrementAndGet();
        attributes.putAttribute(LOST, true);
        return response.toBuilder().statusCode(500).removeHeader("x-amz-crc32")
            .putHeader("Content-Length", Integer.toString(ERROR.length)).build();
      }
    }
    return response;
  }

  @Override
  public Optional<Publisher<ByteBuffer>> modifyAsyncHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    if (Boolean.TRUE.equals(attributes.getAttribute(LOST))) {
      return Optional.of(AsyncRequestBody.fromBytes(ERROR));
    }
    return context.responsePublisher();
  }
}
