/**
 * Operating-system processes: launching commands, process groups and cgroups, their environment,
 * which executables may run, and their captured output (log pumps, rotation, tails).
 */
package dev.supervisor.cli.process;
