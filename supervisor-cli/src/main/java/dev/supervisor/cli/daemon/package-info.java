/**
 * The daemon: its supervisor and run loop, the lock and registry that keep one daemon per home,
 * the spawn journal and the reaping of leftovers, signals, settings and the status page's view.
 */
package dev.supervisor.cli.daemon;
