/**
 * The table-driven supervisor's core: {@link dev.supervisor.Supervisor}, {@link dev.supervisor.Table},
 * {@link dev.supervisor.Runner}, the restart policy and the clock ({@code dev.supervisor}), and test
 * tools for users' tests ({@code dev.supervisor.testing}). The engine ({@code dev.supervisor.internal})
 * is not exported.
 */
module dev.supervisor {
    requires org.slf4j;

    exports dev.supervisor;
    exports dev.supervisor.testing;
}
