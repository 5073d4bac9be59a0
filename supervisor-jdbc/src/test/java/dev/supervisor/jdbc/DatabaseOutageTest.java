package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.supervisor.TableException;
import java.time.Duration;
import java.util.UUID;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/** A database that goes away: reads fail fast with a clear TableException, and work again when it is back. */
class DatabaseOutageTest {

    @Test
    void readsFailWithATableExceptionAndNeverHang() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        String url = "jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Database database = Database.builder(url).connectionTimeout(Duration.ofMillis(500)).open();
             JdbcTable<String, String> table = JdbcTable.builder(database, row -> row.payload()).build()) {
            table.put("a", "x");
            server.stop();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThatThrownBy(() -> table.get("a"))
                        .isInstanceOf(TableException.class)
                        .hasMessageContaining("cannot read table supervisor_processes");
                assertThatThrownBy(() -> table.cursor().next()).isInstanceOf(TableException.class);
                assertThatThrownBy(() -> table.put("b", "y")).isInstanceOf(TableException.class);
            });
        } finally {
            server.stop();
        }
    }
}
