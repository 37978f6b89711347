package io.webstore.inventory;

import java.time.Instant;

/** A granted hold: its units stay reserved until {@code expiresAt} unless committed or released first. */
public record Hold(String holdId, Instant expiresAt) {}
