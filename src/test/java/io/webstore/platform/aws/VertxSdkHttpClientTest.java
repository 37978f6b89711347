package io.webstore.platform.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.webstore.testing.Engines;
import io.webstore.testing.WebstoreTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The Vert.x transport under the SDK: what it sends (signed headers, body, path), what it hands back (status, headers,
 * body, so the SDK maps errors to their exceptions), and its failures (a refused connection, a server that never
 * answers) reaching the SDK as client errors within the configured timeouts.
 */
@WebstoreTest
class VertxSdkHttpClientTest {

  private Vertx vertx;
  private HttpServer server;
  private final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private volatile Consumer<HttpServerRequest> answer = request -> { };

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = Engines.await(vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          seen.add(request);
          bodies.add(body.toString());
          answer.accept(request);
        }))
        .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    Engines.await(vertx.close());
  }

  @Test
  void putsAndReadsAnItemOnTheDevEngine() {
    try (DynamoDbAsyncClient dynamo = client(Engines.shared().devServices().endpoints().dynamo())) {
      String table = "sdk-transport-" + UUID.randomUUID();
      dynamo.createTable(create -> create.tableName(table)
          .billingMode("PAY_PER_REQUEST")
          .attributeDefinitions(d -> d.attributeName("pk").attributeType("S"))
          .keySchema(k -> k.attributeName("pk").keyType("HASH"))).join();
      io.webstore.testing.Deadline.await("table active", Duration.ofSeconds(30), () ->
          "ACTIVE".equals(dynamo.describeTable(d -> d.tableName(table)).join().table().tableStatusAsString()));
      Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("k1"),
          "text", AttributeValue.fromS("é ü ✓ ".repeat(200)));
      dynamo.putItem(put -> put.tableName(table).item(item)).join();

      GetItemResponse read = dynamo.getItem(get -> get.tableName(table).consistentRead(true)
          .key(Map.of("pk", AttributeValue.fromS("k1")))).join();
      assertThat(read.item()).isEqualTo(item);
      assertThatThrownBy(() -> dynamo.putItem(put -> put.tableName(table).item(item)
              .conditionExpression("attribute_not_exists(pk)")).join())
          .hasCauseInstanceOf(ConditionalCheckFailedException.class);
    }
  }

  @Test
  void sendsTheSignedRequestAndMapsAServiceErrorFromStatusAndBody() {
    answer = request -> request.response().setStatusCode(400)
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("x-amzn-RequestId", "req-1")
        .end("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
            + "\"message\":\"The conditional request failed\"}");
    try (DynamoDbAsyncClient dynamo = client(URI.create("http://127.0.0.1:" + server.actualPort()))) {
      assertThatThrownBy(() -> dynamo.putItem(put -> put.tableName("t")
              .item(Map.of("pk", AttributeValue.fromS("k")))).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(ConditionalCheckFailedException.class);
    }
    HttpServerRequest request = seen.get(0);
    assertThat(request.method().name()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/");
    assertThat(request.getHeader("X-Amz-Target")).isEqualTo("DynamoDB_20120810.PutItem");
    assertThat(request.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=dev/");
    assertThat(request.getHeader("Host")).isEqualTo("127.0.0.1:" + server.actualPort());
    assertThat(bodies.get(0)).contains("\"TableName\":\"t\"");
  }

  @Test
  void aServerThatNeverAnswersIsATimeoutWithinTheConfiguredBounds() {
    answer = request -> { }; // takes the request, never answers
    try (DynamoDbAsyncClient dynamo = client(URI.create("http://127.0.0.1:" + server.actualPort()))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> dynamo.getItem(get -> get.tableName("t")
              .key(Map.of("pk", AttributeValue.fromS("k")))).join())
          .cause().isInstanceOfAny(ApiCallAttemptTimeoutException.class, ApiCallTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(seen).as("every attempt reached the server, and was given up after its 500 ms").hasSizeGreaterThan(1);
    }
  }

  @Test
  void aRefusedConnectionIsAClientError() {
    int closedPort = server.actualPort();
    Engines.await(server.close());
    try (DynamoDbAsyncClient dynamo = client(URI.create("http://127.0.0.1:" + closedPort))) {
      assertThatThrownBy(() -> dynamo.getItem(get -> get.tableName("t")
              .key(Map.of("pk", AttributeValue.fromS("k")))).join())
          .hasCauseInstanceOf(SdkClientException.class);
    }
  }

  private DynamoDbAsyncClient client(URI endpoint) {
    return DynamoDbAsyncClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("dev", "dev")))
        .endpointOverride(endpoint)
        .httpClient(new VertxSdkHttpClient(vertx, 8, Duration.ofSeconds(1), Duration.ofSeconds(5)))
        .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMillis(500))
            .apiCallTimeout(Duration.ofSeconds(5)))
        .build();
  }
}
