package dev.supervisor.cli.output;

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
        value.put("list", Arrays.asList("a", null, true, 42));
        value.put("empty", Map.of());
        String json = Json.write(value);
        assertThat(json).isEqualTo("{\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 é\","
                + "\"list\":[\"a\",null,true,42],\"empty\":{}}");
        assertThat(Json.read(json)).isEqualTo(value);
    }

    @Test
    void readsIntegersAsTheSmallestTypeThatHoldsThemAndWritesThemBack() {
        String json = "[1,4294967296,18446744073709551616,2.50]";
        assertThat(Json.read(json)).isEqualTo(List.of(1, 4294967296L, new java.math.BigInteger("18446744073709551616"),
                new BigDecimal("2.50")));
        assertThat(Json.write(Json.read(json))).isEqualTo(json);
    }

    /** A value that is neither a map, a list nor a scalar. */
    record Point(int x, int y) {
    }

    @Test
    void writesOtherValuesThroughTheObjectMapper() {
        assertThat(Json.write(Map.of("at", new Point(1, 2)))).isEqualTo("{\"at\":{\"x\":1,\"y\":2}}");
    }

    @Test
    void writesOneArrayElementPerLine() {
        assertThat(Json.writeLines(List.of(Map.of("a", 1), Map.of("b", 2)))).isEqualTo("[\n  {\"a\":1},\n  {\"b\":2}\n]");
        assertThat(Json.writeLines(List.of())).isEqualTo("[]");
    }

    @Test
    void readsFractionsAsDecimals() {
        assertThat(Json.read(" [ 1.5e3 , -2, \"\\u00e9\\/\" ] ")).isEqualTo(List.of(new BigDecimal("1.5e3"), -2, "é/"));
    }

    @Test
    void malformedInputIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> Json.read("{\"a\": }")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON at line 1, column 7: Unexpected character ('}'");
        assertThatThrownBy(() -> Json.read("[1] x")).hasMessageStartingWith("invalid JSON at line 1, column 5");
        assertThatThrownBy(() -> Json.read("\"open")).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> Json.read("")).hasMessageContaining("invalid JSON");
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000);
        assertThatThrownBy(() -> Json.read(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting depth").hasMessageContaining(Integer.toString(Json.MAX_DEPTH));
        assertThat(Json.read("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))).isInstanceOf(List.class);
    }

    @Test
    void aDocumentOverTheLimitIsRefusedWithItsLength() {
        String big = "\"" + "x".repeat(Json.MAX_LENGTH) + "\"";
        assertThatThrownBy(() -> Json.read(big)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the JSON is " + big.length() + " characters long, more than the limit of " + Json.MAX_LENGTH);
    }
}
