/**
 * What the command line shows people and programs: the daemon's human output, JSON, text tables,
 * listed rows, durations, shell words and masked secrets.
 */
package dev.supervisor.cli.output;
