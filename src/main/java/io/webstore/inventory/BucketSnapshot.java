package io.webstore.inventory;

import java.util.Set;

/** A bucket item as a rebuild reads it: its stock and the holds whose units it has already given up. */
record BucketSnapshot(BucketStock stock, Set<String> appliedHolds) {}
