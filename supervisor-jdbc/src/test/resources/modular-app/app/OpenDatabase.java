package app;

import dev.supervisor.jdbc.Database;

/** Opens (and closes) the database at the URL given as the only argument. */
public final class OpenDatabase {

    public static void main(String[] args) {
        try (Database db = Database.connect(args[0])) {
            System.out.println("opened " + db);
        }
    }

    private OpenDatabase() {
    }
}
