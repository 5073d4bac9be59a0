package dev.supervisor.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, when a {@link JdbcTable} is built, that its {@link KeyCodec} binds keys as values of the
 * key column's actual type (read from the JDBC metadata), so that a mismatch fails at once with a
 * clear message instead of failing every pass after the first page. A table that does not exist
 * yet, or a database that cannot be reached, is not checked (logged at DEBUG and WARN).
 */
final class KeyColumnCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KeyColumnCheck.class);

    private KeyColumnCheck() {
    }

    /**
     * @throws IllegalArgumentException if the key column's type is not one the codec can bind
     */
    static void verify(DataSource dataSource, Dialect dialect, Identifier table, Identifier keyColumn, KeyCodec<?> keys) {
        Optional<Column> column;
        try (Connection connection = dataSource.getConnection()) {
            column = find(connection, dialect, table, keyColumn);
        } catch (SQLException e) {
            LOG.warn("[{}] Cannot read the type of key column {}; not checked against the key codec: {}", table, keyColumn,
                    e.getMessage());
            return;
        }
        if (column.isEmpty()) {
            LOG.debug("[{}] No key column {} found; its type is not checked against the key codec", table, keyColumn);
            return;
        }
        Optional<KeyCodec.ColumnType> type = column.get().type();
        if (type.isEmpty()) {
            throw new IllegalArgumentException("key column " + keyColumn + " of table " + table + " has type "
                    + column.get().described() + ", which no key codec can bind: use a text, integer/bigint or uuid column");
        }
        if (type.get() != keys.columnType()) {
            throw new IllegalArgumentException("key column " + keyColumn + " of table " + table + " has type "
                    + column.get().described() + ", but the key codec " + keys + " stores " + keys.columnType()
                    + " keys: use " + suggestion(type.get()));
        }
    }

    private static String suggestion(KeyCodec.ColumnType type) {
        return switch (type) {
            case TEXT -> "KeyCodec.STRING or KeyCodec.of(encode, decode)";
            case INTEGER -> "KeyCodec.LONG or KeyCodec.of(ColumnType.INTEGER, encode, decode)";
            case UUID -> "KeyCodec.UUID or KeyCodec.of(ColumnType.UUID, encode, decode)";
        };
    }

    private static Optional<Column> find(Connection connection, Dialect dialect, Identifier table, Identifier keyColumn)
            throws SQLException {
        String schema = table.schema().map(dialect.sql()::foldCase).orElse(dialect.sql().currentSchema(connection));
        DatabaseMetaData metadata = connection.getMetaData();
        try (ResultSet rs = dialect.sql().columns(metadata, schema, dialect.sql().foldCase(table.name()),
                dialect.sql().foldCase(keyColumn.name()))) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Column(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")));
        }
    }

    /** A column's JDBC type and its database's name for it. */
    private record Column(int jdbcType, String typeName) {
        /** The database's name for the type, and the JDBC one when it differs ({@code int8 (BIGINT)}). */
        String described() {
            String generic;
            try {
                generic = java.sql.JDBCType.valueOf(jdbcType).getName();
            } catch (IllegalArgumentException unknown) {
                return typeName;
            }
            return generic.equalsIgnoreCase(typeName) ? typeName : typeName + " (" + generic + ")";
        }

        Optional<KeyCodec.ColumnType> type() {
            if ("uuid".equals(typeName.toLowerCase(Locale.ROOT))) {
                return Optional.of(KeyCodec.ColumnType.UUID);
            }
            return switch (jdbcType) {
                case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR ->
                        Optional.of(KeyCodec.ColumnType.TEXT);
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Optional.of(KeyCodec.ColumnType.INTEGER);
                default -> Optional.empty();
            };
        }
    }
}
