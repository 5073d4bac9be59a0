package dev.supervisor.bench;

/** Where the desired-state table lives: one column of the results table each. */
public enum Store {
    /** Embedded H2 in a temporary file, opened the way {@code Database.embedded} opens it. */
    H2("H2 file"),
    /** The local PostgreSQL, in schema {@value BenchDatabase#SCHEMA}. */
    POSTGRESQL("PostgreSQL"),
    /** The local MariaDB, in database {@value BenchDatabase#SCHEMA}. */
    MARIADB("MariaDB"),
    /** {@code dev.supervisor.testing.InMemoryTable}, or no table at all for the bare-thread baselines. */
    IN_MEMORY("in memory / none");

    private final String title;

    Store(String title) {
        this.title = title;
    }

    /** The column header. */
    public String title() {
        return title;
    }

    /** True for the SQL databases. */
    public boolean isDatabase() {
        return this != IN_MEMORY;
    }
}
