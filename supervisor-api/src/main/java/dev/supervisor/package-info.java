/**
 * A table-driven, reconciling supervisor: one process per row of a {@link dev.supervisor.Table},
 * kept alive by a {@link dev.supervisor.Supervisor}.
 *
 * <p>Start with {@link dev.supervisor.Supervisor#builder(Table)}. A row's value is a
 * {@link dev.supervisor.Runner}, run on its own virtual thread with a
 * {@link dev.supervisor.ProcessContext}; how it is restarted is its
 * {@link dev.supervisor.RestartPolicy}; what the supervisor knows of each key is an immutable
 * {@link dev.supervisor.ProcessStatus}, and every change reaches a
 * {@link dev.supervisor.SupervisorListener}. All time goes through {@link dev.supervisor.Clock}.
 * {@link dev.supervisor.Ownership} is the seam for running several nodes on one table.
 */
package dev.supervisor;
