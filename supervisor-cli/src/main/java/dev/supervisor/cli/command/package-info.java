/**
 * The subcommands of the command line (picocli), their shared options and how they wait for the
 * daemon.
 */
package dev.supervisor.cli.command;
