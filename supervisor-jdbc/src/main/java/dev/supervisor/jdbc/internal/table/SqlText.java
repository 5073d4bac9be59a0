package dev.supervisor.jdbc.internal.table;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Pieces of SQL made only from checked {@link Identifier}s and placeholders. */
public final class SqlText {

    private SqlText() {
    }

    /** {@code a, b, c} */
    public static String list(List<Identifier> columns) {
        return columns.stream().map(Identifier::toString).collect(Collectors.joining(", "));
    }

    /** {@code ?, ?, ?} */
    public static String parameters(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    public static List<Identifier> concat(List<Identifier> first, List<Identifier> second) {
        List<Identifier> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /**
     * Checks that none of names is a word dialect reserves.
     *
     * @throws IllegalArgumentException naming the word and the database
     */
    public static void checkNames(SqlDialect dialect, Identifier... names) {
        for (Identifier name : names) {
            if (name == null) {
                continue;
            }
            for (String part : name.schema().isPresent() ? new String[] {name.schema().get(), name.name()}
                    : new String[] {name.name()}) {
                if (dialect.reservedWords().contains(part.toUpperCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException("invalid SQL identifier '" + name + "': '" + part
                            + "' is a reserved word in " + dialect.displayName());
                }
            }
        }
    }
}
