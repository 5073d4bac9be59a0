package dev.supervisor.jdbc;

import dev.supervisor.jdbc.internal.dialect.H2Dialect;
import dev.supervisor.jdbc.internal.dialect.MariaDbDialect;
import dev.supervisor.jdbc.internal.dialect.PostgresDialect;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The databases this module supports, and the registry of their dialects: the one place that
 * knows which JDBC URLs and product names belong to which database. Normally detected from the
 * connection's metadata ({@link #detect(DataSource)}) or from a JDBC URL ({@link #forUrl});
 * builders accept an explicit choice to skip detection.
 */
public enum Dialect {
    /** H2 2.x: the embedded default; changes are found in a change log its trigger fills, checked on a short period. */
    H2(new H2Dialect()),
    /** PostgreSQL 12 or newer: changes arrive by LISTEN/NOTIFY from a trigger. */
    POSTGRESQL(new PostgresDialect()),
    /**
     * MariaDB 10.6 or newer and MySQL 8.0 or newer ({@code jdbc:mariadb:} with MariaDB Connector/J,
     * {@code jdbc:mysql:} with MySQL Connector/J): changes are found in a change log its triggers
     * fill, checked on a short period.
     */
    MARIADB(new MariaDbDialect());

    private static final Logger LOG = LoggerFactory.getLogger(Dialect.class);

    private final SqlDialect sql;

    Dialect(SqlDialect sql) {
        this.sql = sql;
    }

    /** The SQL this dialect writes; internal. */
    SqlDialect sql() {
        return sql;
    }

    /** The database's name for people, such as {@code "PostgreSQL"} or {@code "MariaDB/MySQL"}. */
    public String displayName() {
        return sql.displayName();
    }

    /** The JDBC URL prefixes this dialect accepts, such as {@code "jdbc:postgresql:"}. */
    public List<String> urlPrefixes() {
        return sql.urlPrefixes();
    }

    /** True if a row with the same unique key made {@code e} (an insert of a key that exists). */
    public boolean isUniqueViolation(SQLException e) {
        return sql.uniqueViolation(Objects.requireNonNull(e, "e"));
    }

    /**
     * A column type for an instant (a point in time) on this database, for a table of one's own;
     * {@code NOT NULL} may follow it.
     */
    public String timestampType() {
        return sql.timestampType();
    }

    /** The database's clock, as SQL, to the precision of {@link #timestampType()}. */
    public String currentTimestamp() {
        return sql.now();
    }

    /**
     * The dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException naming the supported URL prefixes if none accepts it (the
     *     message never contains the URL's password)
     */
    public static Dialect forUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        return Arrays.stream(values()).filter(d -> d.sql.acceptsUrl(jdbcUrl)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unsupported JDBC URL '" + Database.masked(jdbcUrl)
                        + "': expected " + supportedUrls()));
    }

    /** The URL prefixes of every supported database, for messages: {@code jdbc:h2:..., jdbc:postgresql:... or ...}. */
    public static String supportedUrls() {
        List<String> prefixes = Arrays.stream(values()).flatMap(d -> d.urlPrefixes().stream()).map(p -> p + "...").toList();
        return String.join(", ", prefixes.subList(0, prefixes.size() - 1)) + " or " + prefixes.getLast();
    }

    /**
     * The dialect of the database behind dataSource, from {@code DatabaseMetaData.getDatabaseProductName()}.
     * Borrows one connection briefly.
     *
     * @throws IllegalArgumentException if the database is not one of the supported ones
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
     * The dialect for a product name as JDBC reports it ("H2", "PostgreSQL", "MariaDB", "MySQL").
     *
     * @throws IllegalArgumentException if the product is not supported
     */
    public static Dialect of(String productName) {
        return Arrays.stream(values()).filter(d -> d.sql.acceptsProduct(productName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unsupported database '" + productName + "': supported are "
                        + Arrays.stream(values()).map(Dialect::displayName).collect(Collectors.joining(", "))));
    }
}
