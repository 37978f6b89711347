package io.webstore.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.webstore.platform.metrics.HttpServerMeters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a request to its route: the contract's path template ({@code /api/v1/products/{sku}}) for logs and the route's
 * request meters (tagged with the router's name for it, {@code /api/v1/products/:sku}); never the raw path. Runs once
 * per request, so it compares path segments with no regular expression and no allocation: templates are grouped by
 * method and segment count, and a {@code {name}} segment matches any non-empty segment. Each route and method's
 * meters are made when the templates are.
 *
 * <p>Not thread-safe by design: one per server verticle, used only from its event loop.
 */
final class RouteTemplates {

  /** The access log's name for a request that matched no route. */
  static final String UNMATCHED = "unmatched";
  private static final HttpMethod OTHER_METHOD = HttpMethod.valueOf("OTHER");

  /** A request's route: its template for the access log and its meters. */
  record Matched(String template, HttpServerMeters.Route meters) {}

  private record Template(Matched matched, String[] segments) {}

  private final HttpServerMeters meters;
  private final Map<HttpMethod, Map<Integer, List<Template>>> byMethod = new HashMap<>();
  private final Map<HttpMethod, Matched> unmatched = new HashMap<>();

  /** Every operation of the contract. */
  RouteTemplates(OpenAPIContract contract, HttpServerMeters meters) {
    this.meters = meters;
    for (Path path : contract.getPaths()) {
      for (Operation operation : path.getOperations()) {
        add(operation.getHttpMethod(), path.getName());
      }
    }
  }

  /** The given paths (templates in the contract's syntax), each answered to {@code method}. */
  RouteTemplates(HttpMethod method, List<String> paths, HttpServerMeters meters) {
    this.meters = meters;
    paths.forEach(path -> add(method, path));
  }

  private void add(HttpMethod method, String path) {
    String[] segments = path.substring(1).split("/", -1);
    StringBuilder routerName = new StringBuilder(path.length());
    for (int i = 0; i < segments.length; i++) {
      routerName.append('/');
      if (segments[i].startsWith("{") && segments[i].endsWith("}")) {
        routerName.append(':').append(segments[i], 1, segments[i].length() - 1);
        segments[i] = null; // any value
      } else {
        routerName.append(segments[i]);
      }
    }
    byMethod.computeIfAbsent(method, any -> new HashMap<>())
        .computeIfAbsent(segments.length, count -> new ArrayList<>())
        .add(new Template(new Matched(path, meters.route(routerName.toString(), method.name())), segments));
  }

  Matched match(HttpMethod method, String path) {
    Map<Integer, List<Template>> bySize = byMethod.get(method);
    if (bySize != null && path != null && !path.isEmpty() && path.charAt(0) == '/') {
      List<Template> candidates = bySize.get(segmentCount(path));
      if (candidates != null) {
        for (Template template : candidates) {
          if (matches(template.segments(), path)) {
            return template.matched();
          }
        }
      }
    }
    // a method no route has is counted under its name only if it is a standard one: a client's made-up methods
    // would otherwise each add meters
    HttpMethod counted = HttpMethod.values().contains(method) ? method : OTHER_METHOD;
    return unmatched.computeIfAbsent(counted,
        any -> new Matched(UNMATCHED, meters.route(HttpServerMeters.UNMATCHED, counted.name())));
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
