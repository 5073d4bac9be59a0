package dev.supervisor.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CLI's JSON (payloads, the spawn journal, {@code list --json}) through Jackson, read with
 * limits so that one hostile row costs little and fails alone: at most {@link #MAX_DEPTH} levels
 * of nesting and {@link #MAX_LENGTH} characters. Values are maps, lists, strings, numbers
 * ({@link Integer}, {@link Long} or {@link BigInteger} for integers, {@link BigDecimal} for
 * fractions), booleans and null, as Jackson's {@code ObjectMapper} reads them into {@code Object}.
 *
 * <p>Such values are read and written with Jackson's streaming parser and generator alone, so a
 * one-shot command loads a few dozen of Jackson's classes rather than the hundreds of its object
 * mapper; any other value written (a record, an array) goes to the object mapper, created on
 * first use. Thread-safe.
 */
public final class Json {

    /** The deepest nesting read: a command needs 2 ({@code {"argv":[...]}}). */
    static final int MAX_DEPTH = 16;
    /** The longest document read, in characters: 1 MiB. */
    static final int MAX_LENGTH = 1 << 20;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxDocumentLength(MAX_LENGTH)
                    .maxStringLength(MAX_LENGTH)
                    .maxNumberLength(100)
                    .build())
            .build();

    private Json() {
    }

    /**
     * The value text holds.
     *
     * @throws IllegalArgumentException saying what is wrong and where, if text is not JSON or exceeds a limit
     */
    public static Object read(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the JSON is " + text.length() + " characters long, more than the limit of "
                    + MAX_LENGTH);
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw invalid(parser.currentLocation(), "no content: end of input");
            }
            Object value = value(parser);
            if (parser.nextToken() != null) {
                throw invalid(parser.currentTokenLocation(), "trailing token " + parser.currentToken() + " after the value");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw invalid(e.getLocation(), e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String is read without I/O
        }
    }

    /** The value at the parser's current token, read up to its last token (nesting is bounded by the parser). */
    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw invalid(parser.currentLocation(), "unexpected end of input");
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, value(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue(); // the smallest of Integer, Long, BigInteger that holds it
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw invalid(parser.currentTokenLocation(), "unexpected " + token);
        };
    }

    private static IllegalArgumentException invalid(JsonLocation at, String message) {
        return new IllegalArgumentException("invalid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                + at.getColumnNr()) + ": " + message);
    }

    /** The value as compact JSON. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter is written without I/O
        }
        return out.toString();
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        switch (value) {
            case null -> generator.writeNull();
            case String text -> generator.writeString(text);
            case Boolean bool -> generator.writeBoolean(bool);
            case Integer number -> generator.writeNumber(number);
            case Long number -> generator.writeNumber(number);
            case BigInteger number -> generator.writeNumber(number);
            case BigDecimal number -> generator.writeNumber(number);
            case Double number -> generator.writeNumber(number);
            case Map<?, ?> object -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> field : object.entrySet()) {
                    if (!(field.getKey() instanceof String name)) {
                        throw new IllegalArgumentException("cannot write the key " + field.getKey() + " of a JSON object: keys are strings");
                    }
                    generator.writeFieldName(name);
                    write(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case Collection<?> array -> {
                generator.writeStartArray();
                for (Object element : array) {
                    write(generator, element);
                }
                generator.writeEndArray();
            }
            default -> ObjectMapperHolder.MAPPER.writeValue(generator, value);
        }
    }

    /** A list of values as a JSON array with one element per line, for output meant to be read by people too. */
    public static String writeLines(List<?> values) {
        if (values.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[\n");
        for (Iterator<?> it = values.iterator(); it.hasNext(); ) {
            out.append("  ").append(write(it.next())).append(it.hasNext() ? ",\n" : "\n");
        }
        return out.append(']').toString();
    }

    /** Jackson's object mapper, for values other than maps, lists and scalars: loaded the first time one is written. */
    private static final class ObjectMapperHolder {
        static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    }
}
