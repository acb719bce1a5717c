package dev.cdcchaos.harness.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What every self-contained HTML page of the harness inlines (the Chart.js bundle, the shared
 * stylesheet, data as script-safe JSON) and how it loads its templates, so pages outside this
 * package (the bench's) open without a network too.
 */
public final class HtmlAssets {

  private static final String WEBJAR_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  private static String chartJsCache;

  private HtmlAssets() {}

  /** The Chart.js UMD bundle from the {@code org.webjars.npm:chart.js} jar on the classpath. */
  public static synchronized String chartJs() {
    if (chartJsCache != null) {
      return chartJsCache;
    }
    ClassLoader cl = HtmlAssets.class.getClassLoader();
    Properties pom = new Properties();
    try (InputStream in = cl.getResourceAsStream(WEBJAR_POM)) {
      if (in == null) {
        throw new IllegalStateException(
            "Chart.js webjar (org.webjars.npm:chart.js) is not on the classpath: " + WEBJAR_POM);
      }
      pom.load(in);
      String path =
          "META-INF/resources/webjars/chart.js/"
              + pom.getProperty("version")
              + "/dist/chart.umd.js";
      try (InputStream js = cl.getResourceAsStream(path)) {
        if (js == null) {
          throw new IllegalStateException("Chart.js webjar has no " + path);
        }
        chartJsCache = new String(js.readAllBytes(), StandardCharsets.UTF_8);
        return chartJsCache;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Chart.js webjar", e);
    }
  }

  /** The stylesheet all report pages share. */
  public static String css() {
    return resource(HtmlAssets.class, "report.css");
  }

  /**
   * Compact JSON of {@code value} that cannot end the {@code <script>} element it is embedded in
   * ({@code </} and {@code <!--} are escaped).
   */
  public static String scriptJson(Object value) {
    return Json.forScript(value);
  }

  /** A text resource next to {@code owner}'s class file. */
  public static String resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "report resource " + name + " missing from the classpath next to " + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A jmustache template next to {@code owner}'s class file; missing values render empty. */
  public static Template template(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "report template " + name + " missing from the classpath next to " + owner.getName());
      }
      return Mustache.compiler()
          .defaultValue("")
          .compile(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
