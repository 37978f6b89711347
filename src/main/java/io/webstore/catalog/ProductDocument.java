package io.webstore.catalog;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A product as {@code GET /api/v1/products/{sku}} shows it, already serialized, with its entity tag.
 *
 * @param body the JSON document
 * @param etag a strong entity tag, quoted; changes with the product, its availability and its running sale
 */
public record ProductDocument(Buffer body, String etag) {

  /** The document parsed, for callers that want fields rather than bytes. */
  public JsonObject json() {
    return body.toJsonObject();
  }
}
