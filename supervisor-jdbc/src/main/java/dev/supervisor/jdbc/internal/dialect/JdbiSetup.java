package dev.supervisor.jdbc.internal.dialect;

import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;

/** The one way this module makes a {@link Jdbi}: on a data source, with every statement's timeout set. */
public final class JdbiSetup {

    private JdbiSetup() {
    }

    /** A Jdbi whose statements time out after {@code queryTimeout} (whole seconds, at least 1). */
    public static Jdbi create(DataSource dataSource, Duration queryTimeout) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(SqlStatements.class).setQueryTimeout(Math.toIntExact(Math.max(1, queryTimeout.toSeconds())));
        return jdbi;
    }
}
