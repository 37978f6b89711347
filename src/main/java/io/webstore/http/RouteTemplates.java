package io.webstore.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a request to the contract's path template ({@code /api/v1/products/{sku}}) for logs; never the raw path. Runs
 * once per logged request, so it compares path segments with no regular expression and no allocation: templates are
 * grouped by method and segment count, and a {@code {name}} segment matches any non-empty segment.
 */
final class RouteTemplates {

  private record Template(String text, String[] segments) {}

  private final Map<HttpMethod, Map<Integer, List<Template>>> byMethod = new HashMap<>();

  RouteTemplates(OpenAPIContract contract) {
    for (Path path : contract.getPaths()) {
      String[] segments = path.getName().substring(1).split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].startsWith("{") && segments[i].endsWith("}")) {
          segments[i] = null; // any value
        }
      }
      for (Operation operation : path.getOperations()) {
        byMethod.computeIfAbsent(operation.getHttpMethod(), method -> new HashMap<>())
            .computeIfAbsent(segments.length, count -> new ArrayList<>())
            .add(new Template(path.getName(), segments));
      }
    }
  }

  String match(HttpMethod method, String path) {
    Map<Integer, List<Template>> bySize = byMethod.get(method);
    if (bySize == null || path == null || path.isEmpty() || path.charAt(0) != '/') {
      return "unmatched";
    }
    List<Template> candidates = bySize.get(segmentCount(path));
    if (candidates != null) {
      for (Template template : candidates) {
        if (matches(template.segments(), path)) {
          return template.text();
        }
      }
    }
    return "unmatched";
  }

  private static int segmentCount(String path) {
    int count = 1;
    for (int i = 1; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        count++;
      }
    }
    return count;
  }

  private static boolean matches(String[] segments, String path) {
    int start = 1;
    for (String segment : segments) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      if (segment == null ? end == start
          : end - start != segment.length() || !path.regionMatches(start, segment, 0, segment.length())) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }
}
