package dev.supervisor.jdbc;

import dev.supervisor.jdbc.internal.dialect.H2Dialect;
import dev.supervisor.jdbc.internal.dialect.PostgresDialect;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases this module supports. Normally detected from the connection's metadata
 * ({@link #detect(DataSource)}); builders accept an explicit choice to skip detection.
 */
public enum Dialect {
    /** H2 2.x: the embedded default; changes are found by a cheap revision check on a short period. */
    H2(new H2Dialect()),
    /** PostgreSQL 12 or newer: changes arrive by LISTEN/NOTIFY from a trigger. */
    POSTGRESQL(new PostgresDialect());

    private static final Logger LOG = LoggerFactory.getLogger(Dialect.class);

    private final SqlDialect sql;

    Dialect(SqlDialect sql) {
        this.sql = sql;
    }

    /** The SQL this dialect writes; internal. */
    SqlDialect sql() {
        return sql;
    }

    /**
     * The dialect of the database behind dataSource, from {@code DatabaseMetaData.getDatabaseProductName()}.
     * Borrows one connection briefly.
     *
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws dev.supervisor.TableException if no connection can be had
     */
    public static Dialect detect(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection connection = dataSource.getConnection()) {
            Dialect dialect = of(connection.getMetaData().getDatabaseProductName());
            LOG.debug("Detected the {} dialect", dialect);
            return dialect;
        } catch (SQLException e) {
            throw new dev.supervisor.TableException("cannot detect the database's dialect: " + e.getMessage(), e);
        }
    }

    /**
     * The dialect for a product name as JDBC reports it ("H2", "PostgreSQL").
     *
     * @throws IllegalArgumentException if the product is not supported
     */
    public static Dialect of(String productName) {
        if ("H2".equalsIgnoreCase(productName)) {
            return H2;
        }
        if ("PostgreSQL".equalsIgnoreCase(productName)) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database '" + productName + "': supported are H2 and PostgreSQL");
    }
}
