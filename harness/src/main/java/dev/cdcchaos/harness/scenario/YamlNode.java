package dev.cdcchaos.harness.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as a tree that remembers where each node was written, so that validation errors
 * can name the line and column. Built from Jackson's streaming YAML parser.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

  int line();

  int column();

  /** A short description of what was found, for error messages. */
  String describe();

  /** A key of a mapping and where it was written. */
  record Key(String name, int line, int column) {}

  record Mapping(Map<String, Key> keys, Map<String, YamlNode> values, int line, int column)
      implements YamlNode {
    @Override
    public String describe() {
      return "a mapping";
    }
  }

  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A scalar; {@code token} says how YAML typed it (string, integer, float, boolean, null). */
  record Scalar(JsonToken token, String text, int line, int column) implements YamlNode {
    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    boolean isString() {
      return token == JsonToken.VALUE_STRING;
    }

    boolean isInteger() {
      return token == JsonToken.VALUE_NUMBER_INT;
    }

    boolean isNumber() {
      return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public String describe() {
      return switch (token) {
        case VALUE_NULL -> "nothing";
        case VALUE_STRING -> text.isEmpty() ? "nothing" : "'" + text + "'";
        case VALUE_NUMBER_INT -> "integer " + text;
        case VALUE_NUMBER_FLOAT -> "number " + text;
        case VALUE_TRUE, VALUE_FALSE -> "boolean " + text;
        default -> text;
      };
    }
  }

  /** Thrown for YAML that is not well-formed; carries the position. */
  final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    SyntaxError(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /**
   * Parses one YAML document; null for an empty document. Duplicate keys are reported through
   * {@code duplicates} (the later value wins), not thrown, so loading can go on.
   */
  static YamlNode parse(String text, List<Key> duplicates) throws SyntaxError {
    YAMLFactory factory = YAMLFactory.builder().build();
    try (JsonParser p = factory.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      YamlNode root = read(p, duplicates);
      if (p.nextToken() != null) {
        throw new SyntaxError(
            "a scenario file holds one YAML document, found a second one",
            p.currentTokenLocation().getLineNr(),
            p.currentTokenLocation().getColumnNr());
      }
      return root;
    } catch (StreamReadException e) {
      if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
        throw new SyntaxError(
            "not valid YAML: "
                + y.getProblem()
                + (y.getContext() == null ? "" : " (" + y.getContext() + ")"),
            y.getProblemMark().getLine() + 1,
            y.getProblemMark().getColumn() + 1);
      }
      String msg = e.getOriginalMessage();
      int nl = msg == null ? -1 : msg.indexOf('\n');
      msg = msg == null ? "not valid YAML" : nl < 0 ? msg : msg.substring(0, nl);
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
      throw new SyntaxError("not valid YAML: " + msg, Math.max(line, 0), Math.max(column, 0));
    } catch (IOException e) {
      throw new SyntaxError("cannot read YAML: " + e.getMessage(), 0, 0);
    }
  }

  private static YamlNode read(JsonParser p, List<Key> duplicates) throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    int column = p.currentTokenLocation().getColumnNr();
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      Map<String, Key> keys = new LinkedHashMap<>();
      Map<String, YamlNode> values = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        Key key =
            new Key(
                p.currentName(),
                p.currentTokenLocation().getLineNr(),
                p.currentTokenLocation().getColumnNr());
        p.nextToken();
        YamlNode value = read(p, duplicates);
        if (keys.containsKey(key.name())) {
          duplicates.add(key);
        }
        keys.put(key.name(), key);
        values.put(key.name(), value);
      }
      return new Mapping(keys, values, line, column);
    }
    if (t == JsonToken.START_ARRAY) {
      List<YamlNode> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(p, duplicates));
      }
      return new Sequence(items, line, column);
    }
    String text = t == JsonToken.VALUE_NULL ? "null" : p.getText();
    return new Scalar(t, text, line, column);
  }
}
