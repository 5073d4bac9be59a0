package dev.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesAndReadsBackNestedValues() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 é");
        value.put("list", Arrays.asList("a", null, true, 42L));
        value.put("empty", Map.of());
        String json = JsonWriter.write(value);
        assertThat(json).isEqualTo("{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 é\","
                + "\"list\":[\"a\",null,true,42],\"empty\":{}}");
        Map<String, Object> expected = new LinkedHashMap<>(value);
        expected.put("list", Arrays.asList("a", null, true, new BigDecimal(42)));
        assertThat(JsonReader.read(json)).isEqualTo(expected);
    }

    @Test
    void writesOneArrayElementPerLine() {
        assertThat(JsonWriter.writeLines(List.of(Map.of("a", 1), Map.of("b", 2)))).isEqualTo("[\n  {\"a\":1},\n  {\"b\":2}\n]");
        assertThat(JsonWriter.writeLines(List.of())).isEqualTo("[]");
    }

    @Test
    void readsWhitespaceEscapesAndNumbers() {
        assertThat(JsonReader.read(" [ 1.5e3 , -2, \"\\u00e9\\/\" ] ")).isEqualTo(List.of(new BigDecimal("1.5e3"),
                new BigDecimal(-2), "é/"));
    }

    @Test
    void malformedInputIsRefusedWithItsOffset() {
        assertThatThrownBy(() -> JsonReader.read("{\"a\": }")).hasMessage("invalid JSON at offset 6: expected a value, found '}'");
        assertThatThrownBy(() -> JsonReader.read("[1] x")).hasMessage("invalid JSON at offset 4: expected end of input, found 'x'");
        assertThatThrownBy(() -> JsonReader.read("\"open")).hasMessageContaining("a closing quote");
        assertThatThrownBy(() -> JsonReader.read("")).hasMessageContaining("expected a value, found the end");
    }
}
