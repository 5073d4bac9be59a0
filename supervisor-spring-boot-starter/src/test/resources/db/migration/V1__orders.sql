-- The test application's own migration, in Flyway's and Spring Boot's default location.
CREATE TABLE orders (id INT PRIMARY KEY);
