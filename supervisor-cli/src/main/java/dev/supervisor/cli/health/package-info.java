/**
 * The commands' health checks: readiness (gating RUNNING) and liveness (restarting an unhealthy
 * command), probed from the daemon on its clock's one timer thread, each probe's work on a
 * virtual thread of its own ({@link dev.supervisor.cli.health.HealthChecks}).
 */
package dev.supervisor.cli.health;
