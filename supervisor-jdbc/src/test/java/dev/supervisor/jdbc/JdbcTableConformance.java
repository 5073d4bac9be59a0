package dev.supervisor.jdbc;

/** The decoder of the conformance tests: the payload itself, except that one starting with "bad" does not decode. */
final class JdbcTableConformance {
    private JdbcTableConformance() {
    }

    static String decode(Row<String> row) {
        if (row.payload().startsWith("bad")) {
            throw new IllegalArgumentException("cannot parse '" + row.payload() + "'");
        }
        return row.payload();
    }
}
