package dev.supervisor.jdbc;

/** The change log triggers of docs/jdbc.md's MariaDB recipe, for a table of one's own, as the tests create them. */
final class MariaDbRecipe {

    private MariaDbRecipe() {
    }

    /** Three triggers that log every insert, update and delete of table's rows by the key in keyColumn. */
    static String[] changeTriggers(String table, String keyColumn) {
        String log = "INSERT INTO supervisor_changes (table_name, name, op) VALUES ('" + table + "', ";
        return new String[] {
            "CREATE TRIGGER " + table + "_log_insert AFTER INSERT ON " + table + " FOR EACH ROW " + log + "NEW." + keyColumn
                    + ", 'I')",
            "CREATE TRIGGER " + table + "_log_update AFTER UPDATE ON " + table + " FOR EACH ROW BEGIN"
                    + " IF NOT (NEW." + keyColumn + " <=> OLD." + keyColumn + ") THEN " + log + "OLD." + keyColumn + ", 'D'); END IF;"
                    + " " + log + "NEW." + keyColumn + ", 'U'); END",
            "CREATE TRIGGER " + table + "_log_delete AFTER DELETE ON " + table + " FOR EACH ROW " + log + "OLD." + keyColumn
                    + ", 'D')"};
    }
}
