package dev.supervisor.jdbc;

import dev.supervisor.testsupport.H2Fixture;

/** A fresh in-memory H2 database ({@link H2Fixture}) with a {@link Database} open on it; closing closes both. */
final class H2Memory extends H2Fixture {

    final Database database;

    H2Memory() {
        start();
        database = attach(Database.connect(url()));
    }
}
