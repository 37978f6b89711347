package io.webstore.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link WebstoreTest} class that {@link EnginesExtension} fills with the shared store of this
 * test JVM: an {@link Api} (a client of it, one per test class, closed after the class) or an
 * {@code io.webstore.WebStore} (the store itself, never stopped by a test). Static fields are filled before
 * {@code @BeforeAll}, instance fields before {@code @BeforeEach}.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Shared {}
