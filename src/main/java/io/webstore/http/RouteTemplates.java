package io.webstore.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Maps a request to the contract's path template ({@code /api/v1/products/{sku}}) for logs; never the raw path. */
final class RouteTemplates {

  private record Entry(HttpMethod method, Pattern pattern, String template) {}

  private final List<Entry> entries = new ArrayList<>();

  RouteTemplates(OpenAPIContract contract) {
    for (Path path : contract.getPaths()) {
      Pattern pattern = Pattern.compile(path.getName().replaceAll("\\{[^/}]+}", "[^/]+").replace(".", "\\."));
      for (Operation operation : path.getOperations()) {
        entries.add(new Entry(operation.getHttpMethod(), pattern, path.getName()));
      }
    }
  }

  String match(HttpMethod method, String path) {
    for (Entry entry : entries) {
      if (entry.method().equals(method) && entry.pattern().matcher(path).matches()) {
        return entry.template();
      }
    }
    return "unmatched";
  }
}
