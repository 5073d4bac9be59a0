package dev.supervisor.jdbc.internal.lease;

import dev.supervisor.jdbc.Identifier;
import dev.supervisor.jdbc.KeyCodec;
import dev.supervisor.jdbc.internal.dialect.SqlDialect;
import java.util.Objects;

/**
 * How a lease's name (always the key's text, {@code varchar}) meets the desired table's key
 * column in lease SQL, whatever the column's type: a lookup on the key column casts the lease
 * name to the column's type (so it uses the column's primary key index), and a lookup on the
 * leases casts the key column to text (so it uses the leases' primary key). For a text column
 * both are the expressions as they are. A key column of type {@code bigint}/{@code integer} or
 * {@code uuid} prints as the text its {@link KeyCodec} writes ({@code 42},
 * {@code 0f8fad5b-d9cb-469f-a165-70867728950e}), which is what the lease names hold.
 *
 * @param column the desired table's key column
 * @param type its type, as the table's key codec binds it
 */
public record LeaseKeyColumn(Identifier column, KeyCodec.ColumnType type) {

    /** Checks that both are present. */
    public LeaseKeyColumn {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
    }

    /** A text key column: no casts. */
    public static LeaseKeyColumn text(Identifier column) {
        return new LeaseKeyColumn(column, KeyCodec.ColumnType.TEXT);
    }

    /** {@code alias.column = <name as the column's type>}: a lookup on the key column's index. */
    public String matches(SqlDialect dialect, String alias, String nameExpression) {
        return alias + "." + column + " = " + asKey(dialect, nameExpression);
    }

    /** A lease name expression as a value of the key column's type. */
    public String asKey(SqlDialect dialect, String nameExpression) {
        return type == KeyCodec.ColumnType.TEXT ? nameExpression : dialect.cast(nameExpression, type);
    }

    /** {@code alias.column} as text, the form lease names take. */
    public String asName(SqlDialect dialect, String alias) {
        String value = alias + "." + column;
        return type == KeyCodec.ColumnType.TEXT ? value : dialect.cast(value, KeyCodec.ColumnType.TEXT);
    }
}
