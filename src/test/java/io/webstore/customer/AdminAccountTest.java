package io.webstore.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.webstore.WebStore;
import io.webstore.testing.Api;
import io.webstore.testing.Engines;
import io.webstore.testing.Shared;
import io.webstore.testing.WebstoreTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dev admin account across restarts, on stores of their own with a unique admin email (the shared store's admin
 * is left alone). Start-up output is captured, logs included, to prove where the password appears.
 */
@WebstoreTest
class AdminAccountTest {

  @Shared static Api api;

  @Test
  void aGeneratedPasswordIsPrintedOnceKeptAcrossRestartsAndReplacedByAConfiguredOne() {
    String email = "admin-" + UUID.randomUUID() + "@webstore.local";

    String firstOutput = startAndStop(email, "");
    Matcher line = Pattern.compile("(?m)^admin login: " + Pattern.quote(email)
        + " / (\\S+) \\(set WEBSTORE_ADMIN_PASSWORD to choose it\\)$").matcher(firstOutput);
    assertThat(line.find()).as(firstOutput).isTrue();
    String generated = line.group(1);
    assertThat(firstOutput.split(Pattern.quote(generated), -1)).as("the password appears once in all output")
        .hasSize(2);
    assertThat(generated).hasSizeGreaterThanOrEqualTo(20);
    assertThat(PasswordPolicy.violations(generated, EmailAddress.parse(email))).isEmpty();
    assertThat(groupsAfterLogin(email, generated)).containsExactly("admin");

    String secondOutput = startAndStop(email, "");
    assertThat(secondOutput).doesNotContain("admin login:").doesNotContain(generated);
    assertThat(groupsAfterLogin(email, generated)).containsExactly("admin");

    String chosen = "Chosen-admin-pass-9";
    String thirdOutput = startAndStop(email, chosen);
    assertThat(thirdOutput).doesNotContain("admin login:").doesNotContain(chosen);
    assertThat(groupsAfterLogin(email, chosen)).containsExactly("admin");
    HttpResponse<Buffer> old = logIn(email, generated);
    assertThat(old.statusCode()).isEqualTo(401);
  }

  /** Starts a store with this admin config, stops it, and returns everything written to stdout meanwhile. */
  private static String startAndStop(String adminEmail, String adminPassword) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      WebStore store = Engines.shared().startStore(new JsonObject().put("admin", new JsonObject()
          .put("email", adminEmail).put("password", adminPassword)));
      Engines.await(store.stop());
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static HttpResponse<Buffer> logIn(String email, String password) {
    return api.call(HttpMethod.POST, "/api/v1/auth/login", null,
        new JsonObject().put("email", email).put("password", password));
  }

  private static List<Object> groupsAfterLogin(String email, String password) {
    HttpResponse<Buffer> login = logIn(email, password);
    assertThat(login.statusCode()).as(login.bodyAsString()).isEqualTo(200);
    return Jwts.payload(login.bodyAsJsonObject().getString("access_token")).getJsonArray("cognito:groups").stream().toList();
  }

  /** Writes to the real stdout and to a capture. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      first.write(bytes, offset, length);
      second.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }
}
