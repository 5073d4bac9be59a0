-- The application's own migration, in Flyway's and quarkus-flyway's default location.
CREATE TABLE orders (id INT PRIMARY KEY);
