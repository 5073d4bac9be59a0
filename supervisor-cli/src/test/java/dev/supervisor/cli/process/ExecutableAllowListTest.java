package dev.supervisor.cli.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.CommandSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableAllowListTest {

    @TempDir
    Path dir;

    private CommandSpec spec(String program, Path workingDir) {
        return new CommandSpec(List.of(program, "arg"), Map.of(), Optional.ofNullable(workingDir), RestartMode.ALWAYS);
    }

    private Path executable(String name) throws Exception {
        Path file = Files.createDirectories(dir.resolve("bin")).resolve(name);
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void withoutPatternsEverythingMayRun() {
        ExecutableAllowList all = ExecutableAllowList.of(List.of(), "");
        assertThat(all.allowsEverything()).isTrue();
        assertThat(all.refusal(spec("/anything", null))).isEmpty();
    }

    @Test
    void programsAreMatchedByTheAbsolutePathTheyRunFrom() throws Exception {
        Path tool = executable("tool");
        Files.writeString(Files.createDirectories(dir.resolve("other")).resolve("tool"), "not executable");
        String path = dir.resolve("other") + ":" + dir.resolve("bin");
        ExecutableAllowList allow = ExecutableAllowList.of(List.of(Pattern.compile(Pattern.quote(dir.resolve("bin").toString()) + "/.*")), path);

        assertThat(allow.resolve(spec("tool", null))).as("found through PATH, skipping what is not executable").contains(tool);
        assertThat(allow.refusal(spec("tool", null))).isEmpty();
        assertThat(allow.refusal(spec("./bin/tool", dir))).as("relative to the row's directory").isEmpty();
        assertThat(allow.refusal(spec("bin/../bin/tool", dir))).isEmpty();
        assertThat(allow.refusal(spec("bin/../other/tool", dir))).hasValue(dir.resolve("other/tool")
                + " matches no --allow pattern (" + Pattern.quote(dir.resolve("bin").toString()) + "/.*)");
        assertThat(allow.refusal(spec("missing", null))).as("not found: the name as given cannot match an absolute pattern")
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("missing matches no --allow pattern"));
    }
}
