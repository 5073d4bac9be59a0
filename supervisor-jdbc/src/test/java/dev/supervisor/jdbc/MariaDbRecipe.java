package dev.supervisor.jdbc;

/**
 * The change log triggers of docs/jdbc.md's MariaDB recipe for a table of one's own, for any table
 * and key column, without a revision column (the logging calls made with {@code DO}).
 */
final class MariaDbRecipe {

    private MariaDbRecipe() {
    }

    /** Triggers that log every insert, update (and change of key) and delete of table's rows by the key in keyColumn. */
    static String[] changeTriggers(String table, String keyColumn) {
        String log = "supervisor_log_change('" + table + "', ";
        String prefix = "CREATE TRIGGER " + table;
        return new String[] {
            prefix + "_log_insert AFTER INSERT ON " + table + " FOR EACH ROW DO " + log + "NEW." + keyColumn + ", 'I')",
            prefix + "_log_update AFTER UPDATE ON " + table + " FOR EACH ROW DO " + log + "NEW." + keyColumn + ", 'U')",
            prefix + "_log_rekey AFTER UPDATE ON " + table + " FOR EACH ROW DO IF(NEW." + keyColumn + " <=> OLD." + keyColumn
                    + ", 0, " + log + "OLD." + keyColumn + ", 'D'))",
            prefix + "_log_delete AFTER DELETE ON " + table + " FOR EACH ROW DO " + log + "OLD." + keyColumn + ", 'D')"};
    }
}
