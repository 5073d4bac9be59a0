package dev.supervisor.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTest {

    @Test
    void acceptsPlainAndSchemaQualifiedNames() {
        assertThat(Identifier.of("supervisor_processes").toString()).isEqualTo("supervisor_processes");
        Identifier qualified = Identifier.of("jobs.My_Table2");
        assertThat(qualified.schema()).contains("jobs");
        assertThat(qualified.name()).isEqualTo("My_Table2");
        assertThat(qualified.toString()).isEqualTo("jobs.My_Table2");
        assertThat(Identifier.of("_x")).isEqualTo(Identifier.of("_x"));
        assertThat(Identifier.of("a".repeat(63)).name()).hasSize(63);
    }

    @ParameterizedTest
    @ValueSource(strings = {"processes; DROP TABLE x", "\"processes\"", "proc'esses", "", " ", "1table", "a-b", "a b",
        "a.b.c", ".a", "a.", "tab\u00e9", "x--", "a/*b*/"})
    void refusesHostileOrMalformedNamesNamingThem(String hostile) {
        assertThatThrownBy(() -> Identifier.of(hostile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid SQL identifier '" + hostile + "'");
    }

    @Test
    void refusesNamesLongerThan63Characters() {
        assertThatThrownBy(() -> Identifier.of("a".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"key", "VALUE", "order", "select", "s.user"})
    void refusesReservedWords(String reserved) {
        assertThatThrownBy(() -> Identifier.of(reserved))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved word");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Identifier.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void columnsCannotBeQualified() {
        assertThatThrownBy(() -> Identifier.unqualified("s.name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema is not allowed");
    }

    @Test
    void buildersRefuseHostileTableAndColumnNamesBeforeTouchingTheDatabase() {
        javax.sql.DataSource unused = new org.h2.jdbcx.JdbcDataSource();
        var builder = JdbcTable.builder(unused, row -> row.payload());
        assertThatThrownBy(() -> builder.table("processes; DROP TABLE x")).hasMessageContaining("processes; DROP TABLE x");
        assertThatThrownBy(() -> builder.keyColumn("name = name OR 1=1 --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.payloadColumn("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusWriter.builder(unused).table("x\"; DROP")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Database.builder("jdbc:h2:mem:x").schema("a; DROP SCHEMA b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
