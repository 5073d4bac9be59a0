/**
 * The {@code supervisor} command line's entry point ({@link dev.supervisor.cli.Main}) and what its
 * parts share: a row's command, the home directory, the database and its rows, and refusals.
 */
package dev.supervisor.cli;
