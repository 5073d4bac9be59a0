package dev.supervisor.jdbc.internal.lease;

import java.sql.SQLException;
import java.sql.SQLWarning;

/**
 * A lease statement's commit that the database did not acknowledge as durable: PostgreSQL ended its
 * wait for the synchronous standby early (a statement timeout's cancel, an operator's), so the
 * transaction committed on the primary but perhaps not on the standby a failover promotes. It
 * counts as not done (see {@link Acknowledgements}).
 */
public final class UnacknowledgedCommitException extends SQLException {

    private static final long serialVersionUID = 1L;

    UnacknowledgedCommitException(String what, SQLWarning warning) {
        super("The commit of " + what + " was not acknowledged by the synchronous standby (" + warning.getMessage()
                + "): it counts as not done", warning.getSQLState(), warning);
    }
}
