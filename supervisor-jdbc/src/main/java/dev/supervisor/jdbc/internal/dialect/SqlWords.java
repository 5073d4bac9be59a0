package dev.supervisor.jdbc.internal.dialect;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reserved words: the ones every supported database refuses as a plain name ({@link #COMMON},
 * refused by {@code Identifier} itself), and a dialect's own on top (refused by
 * {@code SqlText.checkNames} when a table is built on that database). Holds data only, so the
 * public classes may use it without a loop of imports.
 */
public final class SqlWords {

    /** Reserved by the SQL standard and refused unquoted by all of H2, PostgreSQL, MariaDB and MySQL, or most of them. */
    public static final Set<String> COMMON = Set.of(
            "ALL", "AND", "ANY", "AS", "AUTHORIZATION", "BETWEEN", "BOTH", "CASE", "CAST",
            "CHECK", "COLLATE", "COLUMN", "CONSTRAINT", "CREATE", "CROSS", "CURRENT_DATE", "CURRENT_TIME",
            "CURRENT_TIMESTAMP", "CURRENT_USER", "DEFAULT", "DISTINCT", "DO", "ELSE", "END", "EXCEPT", "EXISTS",
            "FALSE", "FETCH", "FOR", "FOREIGN", "FROM", "FULL", "GRANT", "GROUP", "HAVING", "IF", "IN",
            "INNER", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "KEY", "LEADING", "LEFT", "LIKE", "LIMIT",
            "LOCALTIME", "LOCALTIMESTAMP", "NATURAL", "NOT", "NULL", "OFFSET", "ON", "OR", "ORDER",
            "PRIMARY", "REFERENCES", "RIGHT", "ROW", "SELECT", "SESSION_USER", "SET", "SOME",
            "TABLE", "THEN", "TO", "TRAILING", "TRUE", "UNION", "UNIQUE", "UNKNOWN", "USER",
            "USING", "VALUE", "VALUES", "WHEN", "WHERE", "WINDOW", "WITH", "YEAR");

    private SqlWords() {
    }

    /** {@link #COMMON} and words. */
    static Set<String> with(String... words) {
        return Stream.concat(COMMON.stream(), Stream.of(words)).collect(Collectors.toUnmodifiableSet());
    }
}
