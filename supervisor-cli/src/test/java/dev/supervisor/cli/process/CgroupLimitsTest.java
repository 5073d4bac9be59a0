package dev.supervisor.cli.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.cli.RowSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a limit is written to, on directories shaped like the kernel's: cgroup v2 (what
 * production hosts have; this machine's v2 mount has no controllers, so the real v2 path is not
 * exercised here) and cgroup v1 (exercised for real by the end-to-end OOM test).
 */
class CgroupLimitsTest {

    private static final RowSettings LIMITS = RowSettings.DEFAULT.with("memoryMax", "64M").with("cpuMax", "0.5")
            .with("tasksMax", "100");

    @TempDir
    Path dir;

    @Test
    void cgroupV2GetsMemoryWithoutSwapAndKilledAsAGroupCpuAsQuotaOverPeriodAndPids() throws IOException {
        for (String file : List.of("memory.max", "memory.swap.max", "memory.oom.group", "cpu.max", "pids.max")) {
            Files.writeString(dir.resolve(file), "max\n");
        }
        CgroupLimits.writeV2(dir, LIMITS, EnumSet.allOf(CgroupLimits.Controller.class));

        assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo("67108864");
        assertThat(Files.readString(dir.resolve("memory.swap.max"))).isEqualTo("0");
        assertThat(Files.readString(dir.resolve("memory.oom.group"))).isEqualTo("1");
        assertThat(Files.readString(dir.resolve("cpu.max"))).isEqualTo("50000 100000");
        assertThat(Files.readString(dir.resolve("pids.max"))).isEqualTo("100");
    }

    @Test
    void cgroupV2WritesOnlyTheControllersEnabled() throws IOException {
        Files.writeString(dir.resolve("memory.max"), "max\n");
        CgroupLimits.writeV2(dir, LIMITS, EnumSet.of(CgroupLimits.Controller.MEMORY));
        assertThat(Files.readString(dir.resolve("memory.max"))).isEqualTo("67108864");
        assertThat(dir.resolve("cpu.max")).doesNotExist();
    }

    @Test
    void cgroupV1GetsEachControllersFiles() throws IOException {
        Files.writeString(dir.resolve("memory.memsw.limit_in_bytes"), "9223372036854771712\n");
        CgroupLimits.writeV1(dir, CgroupLimits.Controller.MEMORY, LIMITS);
        CgroupLimits.writeV1(dir, CgroupLimits.Controller.CPU, LIMITS);
        CgroupLimits.writeV1(dir, CgroupLimits.Controller.PIDS, LIMITS);

        assertThat(Files.readString(dir.resolve("memory.limit_in_bytes"))).isEqualTo("67108864");
        assertThat(Files.readString(dir.resolve("memory.memsw.limit_in_bytes"))).as("swap included").isEqualTo("67108864");
        assertThat(Files.readString(dir.resolve("cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(Files.readString(dir.resolve("pids.max"))).isEqualTo("100");
    }

    @Test
    void aLimitThatCannotBeWrittenIsAnErrorNamingTheFile() {
        assertThatThrownBy(() -> CgroupLimits.writeV2(dir.resolve("gone"), LIMITS, EnumSet.of(CgroupLimits.Controller.PIDS)))
                .hasMessage("cannot write 100 to " + dir.resolve("gone").resolve("pids.max") + ": no such file");
    }

    @Test
    void oomKillsAreCountedFromEitherVersionsFile() throws IOException {
        Path events = Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n"
                + "oom_group_kill 1\n");
        Path control = Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        assertThat(CgroupLimits.oomKills(events)).isEqualTo(2);
        assertThat(CgroupLimits.oomKills(control)).isEqualTo(1);
        assertThat(CgroupLimits.oomKills(dir.resolve("none"))).isZero();
    }

    @Test
    void aHostThatCanLimitNothingSaysSo() {
        CgroupLimits none = new CgroupLimits(EnumSet.noneOf(CgroupLimits.Controller.class), java.util.Map.of(),
                "no cgroup v2 directory may be created; no cgroup v1 memory directory may be created");
        assertThat(none.describe()).isEqualTo("none can be applied on this host (no cgroup v2 directory may be created; no "
                + "cgroup v1 memory directory may be created); rows with --memory-max, --cpu-max or --tasks-max run without them");
        assertThat(none.notApplied(LIMITS)).isEqualTo("memory, cpu, tasks");
    }
}
