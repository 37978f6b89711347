package io.webstore.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code make bench-report}: renders a results file of {@link BenchMain} as one self-contained HTML page (inline SVG,
 * no scripts, nothing fetched): throughput per scenario beside its reference (the bare Vert.x ceiling for reads and
 * 409s, the engine's raw conditional-write rate for writes), p99 at the peak and at 70% of it, and the run's details.
 * Args: the results JSON and the HTML file to write.
 */
public final class BenchReport {

  private static final int WIDTH = 760;
  private static final int LABEL = 190;
  private static final int BAR = 22;
  private static final int GAP = 8;

  /** One bar: a label, a value, its text, and whether it is a reference (drawn grey). */
  private record Bar(String label, double value, String text, boolean reference) {}

  private BenchReport() {}

  public static void main(String[] args) throws IOException {
    JsonObject results = new JsonObject(Files.readString(Path.of(args[0])));
    Path out = Path.of(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, render(results));
    System.out.println("bench-report: " + out.toAbsolutePath());
  }

  static String render(JsonObject results) {
    JsonArray scenarios = results.getJsonArray("scenarios", new JsonArray());
    List<Bar> reads = new ArrayList<>();
    List<Bar> writes = new ArrayList<>();
    List<Bar> latency = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      JsonObject s = scenarios.getJsonObject(i);
      String name = s.getString("scenario");
      double rps = s.getDouble("rps", 0.0);
      boolean reference = name.equals("ceiling") || name.equals("raw_write");
      String ratio = reference ? "reference" : String.format(Locale.ROOT, "%.2f of %s", s.getDouble("ratio", 0.0),
          s.getString("reference"));
      if ("raw_write".equals(s.getString("reference"))) {
        if (name.equals("checkout")) {
          double wpo = s.getDouble("writes_per_order", 0.0);
          writes.add(new Bar("checkout (orders/s)", rps, fmt(rps) + " orders/s", false));
          writes.add(new Bar("checkout (writes/s)", rps * wpo, fmt(rps * wpo) + " writes/s = "
              + String.format(Locale.ROOT, "%.2f", wpo) + " per order; " + ratio, false));
        } else {
          writes.add(new Bar(name, rps, fmt(rps) + " req/s, " + ratio, reference));
        }
      } else {
        reads.add(new Bar(name, rps, fmt(rps) + " req/s, " + ratio, reference));
      }
      double p99 = s.getDouble("p99_ms", 0.0);
      latency.add(new Bar(name + " (peak)", p99, String.format(Locale.ROOT, "%.2f ms", p99), reference));
      if (s.containsKey("p99_at_70pct_ms")) {
        double p70 = s.getDouble("p99_at_70pct_ms");
        latency.add(new Bar(name + " (70%)", p70, String.format(Locale.ROOT, "%.2f ms", p70), reference));
      }
    }
    JsonObject store = results.getJsonObject("store", new JsonObject());
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>webstore bench ")
        .append(escape(results.getString("started", ""))).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:900px;color:#222}")
        .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th:first-child,td:first-child{text-align:left}pre{font-size:12px;")
        .append("background:#f6f6f6;padding:1em;overflow:auto}svg text{font-size:12px}</style></head><body>");
    html.append("<h1>webstore bench</h1><p>").append(escape(results.getString("started", ""))).append(", ")
        .append(results.getJsonObject("machine", new JsonObject()).getInteger("cores", 0))
        .append(" cores shared by the engines, the store, the ceiling and the load generator; compare within one run.")
        .append("</p>");
    html.append("<h2>Throughput: reads and 409s against the bare Vert.x ceiling</h2>").append(chart(reads, false));
    html.append("<h2>Throughput: writes against the raw conditional-write rate of the engine</h2>")
        .append(chart(writes, false));
    html.append("<h2>p99 latency at the peak rate and at 70% of it (log scale)</h2>").append(chart(latency, true));
    html.append("<h2>Store</h2><table><tr><th>JVM start to ready</th><th>RSS under load (max)</th><th>heap</th>")
        .append("<th>generator CPU (max)</th></tr><tr><td>").append(store.getValue("start_to_ready_ms"))
        .append(" ms</td><td>").append(store.getValue("rss_under_load_max_mib")).append(" MiB</td><td>")
        .append(escape(String.valueOf(store.getValue("heap")))).append("</td><td>")
        .append(results.getJsonObject("generator", new JsonObject()).getValue("cpu_max_cores"))
        .append(" cores</td></tr></table>");
    html.append("<h2>Scenarios</h2><table><tr><th>scenario</th><th>req/s</th><th>p50 ms</th><th>p99 ms</th>")
        .append("<th>ratio</th><th>reference</th><th>probe req/s</th><th>p99 at 70% ms</th><th>statuses</th></tr>");
    for (int i = 0; i < scenarios.size(); i++) {
      JsonObject s = scenarios.getJsonObject(i);
      html.append("<tr><td>").append(escape(s.getString("scenario"))).append("</td><td>")
          .append(fmt(s.getDouble("rps", 0.0))).append("</td><td>").append(s.getValue("p50_ms")).append("</td><td>")
          .append(s.getValue("p99_ms")).append("</td><td>").append(s.getValue("ratio")).append("</td><td>")
          .append(escape(s.getString("reference"))).append("</td><td>").append(value(s, "peak_probe_rps"))
          .append("</td><td>").append(value(s, "p99_at_70pct_ms")).append("</td><td>")
          .append(escape(String.valueOf(s.getValue("statuses", "")))).append("</td></tr>");
    }
    html.append("</table><h2>RESULT lines</h2><pre>");
    results.getJsonArray("lines", new JsonArray()).forEach(line -> html.append(escape(line.toString())).append('\n'));
    html.append("</pre></body></html>\n");
    return html.toString();
  }

  private static String chart(List<Bar> bars, boolean logScale) {
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
    double min = bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).min().orElse(1);
    double floor = logScale ? Math.pow(10, Math.floor(Math.log10(Math.max(min, 0.01)))) : 0;
    int plot = WIDTH - LABEL - 10;
    int height = bars.size() * (BAR + GAP) + GAP;
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">", WIDTH, height));
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double share = max <= 0 ? 0 : logScale
          ? (Math.log10(Math.max(bar.value(), floor)) - Math.log10(floor)) / (Math.log10(max) - Math.log10(floor) + 1e-9)
          : bar.value() / max;
      int width = (int) Math.max(1, Math.round(share * plot * 0.6));
      int y = GAP + i * (BAR + GAP);
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LABEL - 6,
          y + BAR - 7, escape(bar.label())));
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>", LABEL,
          y, width, BAR, bar.reference() ? "#9e9e9e" : "#2f6fb3"));
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LABEL + width + 6, y + BAR - 7,
          escape(bar.text())));
    }
    return svg.append("</svg>").toString();
  }

  private static Object value(JsonObject scenario, String key) {
    Object value = scenario.getValue(key);
    return value == null ? "" : value;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
