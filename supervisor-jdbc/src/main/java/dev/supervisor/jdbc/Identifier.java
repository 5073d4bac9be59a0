package dev.supervisor.jdbc;

import dev.supervisor.jdbc.internal.dialect.SqlWords;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A checked SQL identifier: a table or column name, optionally qualified by a schema
 * ({@code schema.table}). Every table and column name passes through this type before any SQL is
 * built, so no SQL is ever made from an unchecked string.
 *
 * <p>Each part must match {@code [A-Za-z_][A-Za-z0-9_]{0,62}} and must not be one of the words
 * H2 or PostgreSQL reserve (such as {@code key}, {@code value}, {@code order}); identifiers are
 * used unquoted, so the database folds their case as usual (PostgreSQL to lower case, H2 to upper
 * case). Immutable and thread-safe.
 */
public final class Identifier {

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String schema;
    private final String name;

    private Identifier(String schema, String name) {
        this.schema = schema;
        this.name = name;
    }

    /**
     * Checks {@code text} as a name or a {@code schema.name} pair.
     *
     * @throws NullPointerException if text is null
     * @throws IllegalArgumentException if text is not a valid identifier; the message quotes it
     */
    public static Identifier of(String text) {
        Objects.requireNonNull(text, "identifier");
        int dot = text.indexOf('.');
        if (dot < 0) {
            return new Identifier(null, checkPart(text, text));
        }
        return new Identifier(checkPart(text.substring(0, dot), text), checkPart(text.substring(dot + 1), text));
    }

    /**
     * Checks {@code text} as an unqualified name (a column, a schema).
     *
     * @throws IllegalArgumentException if text is not a valid unqualified identifier
     */
    public static Identifier unqualified(String text) {
        Identifier identifier = of(text);
        if (identifier.schema != null) {
            throw new IllegalArgumentException("invalid SQL identifier '" + text + "': a schema is not allowed here");
        }
        return identifier;
    }

    private static String checkPart(String part, String whole) {
        if (!PART.matcher(part).matches()) {
            throw new IllegalArgumentException("invalid SQL identifier '" + whole + "': each part must be 1 to 63 letters,"
                    + " digits or underscores, not starting with a digit (optionally schema.name)");
        }
        if (SqlWords.COMMON.contains(part.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("invalid SQL identifier '" + whole + "': '" + part
                    + "' is a reserved word in SQL");
        }
        return part;
    }

    /** The schema, when the identifier is qualified. */
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    /** The unqualified name. */
    public String name() {
        return name;
    }

    /** The identifier as it appears in SQL: {@code name} or {@code schema.name}. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Identifier that && Objects.equals(schema, that.schema) && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, name);
    }
}
