package dev.supervisor.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;

/**
 * The CLI's JSON (payloads, the spawn journal, {@code list --json}) through Jackson, read with
 * limits so that one hostile row costs little and fails alone: at most {@link #MAX_DEPTH} levels
 * of nesting and {@link #MAX_LENGTH} characters. Values are maps, lists, strings, numbers
 * ({@link java.math.BigDecimal} for fractions), booleans and null. Thread-safe.
 */
final class Json {

    /** The deepest nesting read: a command needs 2 ({@code {"argv":[...]}}). */
    static final int MAX_DEPTH = 16;
    /** The longest document read, in characters: 1 MiB. */
    static final int MAX_LENGTH = 1 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxDocumentLength(MAX_LENGTH)
                    .maxStringLength(MAX_LENGTH)
                    .maxNumberLength(100)
                    .build())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /**
     * The value text holds.
     *
     * @throws IllegalArgumentException saying what is wrong and where, if text is not JSON or exceeds a limit
     */
    static Object read(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the JSON is " + text.length() + " characters long, more than the limit of "
                    + MAX_LENGTH);
        }
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("invalid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
    }

    /** The value as compact JSON. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A list of values as a JSON array with one element per line, for output meant to be read by people too. */
    static String writeLines(List<?> values) {
        if (values.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[\n");
        for (Iterator<?> it = values.iterator(); it.hasNext(); ) {
            out.append("  ").append(write(it.next())).append(it.hasNext() ? ",\n" : "\n");
        }
        return out.append(']').toString();
    }
}
