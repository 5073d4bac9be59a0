-- An application's own migration in Flyway's default location: SchemaMigrationTest checks that
-- the application's Flyway runs only this, and ours only the supervisor's.
CREATE TABLE application_orders (id INT PRIMARY KEY);
