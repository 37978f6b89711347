package io.webstore.testing;

import io.vertx.junit5.VertxExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test against real engines: vertx-junit5's {@link VertxExtension} ({@code Vertx}, {@code VertxTestContext}
 * parameters) and {@link EnginesExtension}, which gives the class the shared store of this test JVM
 * ({@link Shared} fields; {@link Api}, {@code WebStore}, {@link Engines} and {@link Stores} parameters) and closes
 * what it gave when the class (or, for a test method's parameter, the test) ends.
 *
 * <pre>{@code
 * @WebstoreTest
 * class CartHttpTest {
 *   @Shared static Api api; // a client of the shared store, closed after the class
 *
 *   @BeforeAll
 *   static void start(Stores stores) { // a store of the test's own, stopped after the class
 *     limited = stores.api(stores.start(new JsonObject().put("http", ...)));
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({VertxExtension.class, EnginesExtension.class})
public @interface WebstoreTest {}
