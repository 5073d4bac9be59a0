/**
 * What differs between the supported databases (internal, no compatibility guarantees): the SQL
 * dialects, the drivers and libraries each one needs, and how this module makes its connections
 * and its {@code Jdbi}.
 */
package dev.supervisor.jdbc.internal.dialect;
