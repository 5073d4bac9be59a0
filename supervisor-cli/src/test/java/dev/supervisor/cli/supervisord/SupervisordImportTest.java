package dev.supervisor.cli.supervisord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** supervisord configurations of several shapes, read as supervisord reads them. */
class SupervisordImportTest {

    private static final Path CONFS = Path.of("src/test/resources/supervisord").toAbsolutePath();
    private final SupervisordImport importer = new SupervisordImport(Map.of("APP_HOME", "/opt/app"), "web1");

    @TempDir
    Path dir;

    @Test
    void aDebianStyleConfigurationWithIncludesBecomesOneRowPerProcess() throws Exception {
        SupervisordImport.Result result = importer.read(CONFS.resolve("supervisord.conf"));

        assertThat(result.rows()).extracting(SupervisordImport.Row::name)
                .containsExactly("web", "worker_01", "worker_02", "worker_03");
        SupervisordImport.Row web = result.rows().getFirst();
        assertThat(web.spec().argv()).containsExactly("/usr/bin/python3", "-m", "http.server", "8000", "--bind", "127.0.0.1");
        assertThat(web.spec().dir()).contains(CONFS.resolve("conf.d"));
        assertThat(web.spec().env()).containsExactly(Map.entry("PYTHONUNBUFFERED", "1"), Map.entry("GREETING", "hello, world"));
        assertThat(web.spec().restart()).isEqualTo(RestartMode.ALWAYS);
        RowSettings s = web.spec().settings();
        assertThat(s.user()).contains("www-data");
        assertThat(s.startGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.stopSignal()).contains(Signal.parse("INT"));
        assertThat(s.stopTimeout()).contains(Duration.ofSeconds(20));
        assertThat(s.stderrSeparate()).as("redirect_stderr=true").isFalse();
        assertThat(s.logSize()).hasValue(20L << 20);
        assertThat(s.logFiles()).hasValue(4);
        assertThat(web.paused()).isFalse();
        assertThat(web.group()).isEmpty();

        SupervisordImport.Row worker = result.rows().get(1);
        assertThat(worker.spec().argv()).containsExactly("/opt/app/bin/worker", "--queue", "jobs", "--id", "1", "--verbose");
        assertThat(worker.spec().env()).containsExactly(Map.entry("WORKER_ID", "1"), Map.entry("HOST", "web1"));
        assertThat(worker.spec().restart()).as("autorestart=unexpected").isEqualTo(RestartMode.ON_FAILURE);
        assertThat(worker.spec().settings().successExitCodes()).containsExactly(0, 2);
        assertThat(worker.spec().settings().startRetries()).isEqualTo(10);
        assertThat(worker.spec().settings().stderrSeparate()).as("supervisord's default: stderr apart").isTrue();
        assertThat(worker.group()).as("numprocs make a group, like supervisord's homogeneous group").contains("worker");
        assertThat(worker.position()).isEqualTo(20);
        assertThat(result.rows().get(3).spec().argv()).contains("3");

        assertThat(result.notMapped()).containsOnlyKeys("web", "worker");
        assertThat(result.notMapped().get("web")).containsExactly(
                "stdout_logfile=/var/log/web.log (logs go to HOME/logs/NAME.log, stderr to HOME/logs/stderr/NAME.log)");
        assertThat(result.notMapped().get("worker")).containsExactly("umask=022",
                "stderr_logfile=/var/log/worker.err (logs go to HOME/logs/NAME.log, stderr to HOME/logs/stderr/NAME.log)",
                "stopasgroup=false (the whole process group is always signalled)",
                "stderr_logfile_maxbytes=1MB (stderr's log rotates as stdout's)");
        assertThat(result.ignored()).containsExactly("[unix_http_server] (supervisord's own settings)",
                "[supervisord] (supervisord's own settings)", "[rpcinterface:supervisor] (supervisord's own settings)",
                "[supervisorctl] (supervisord's own settings)");
    }

    @Test
    void groupsGiveTheirMembersAnOrderAndAutostartFalseIsAStoppedRow() throws Exception {
        SupervisordImport.Result result = importer.read(CONFS.resolve("groups.conf"));

        assertThat(result.rows()).extracting(SupervisordImport.Row::name).containsExactly("reader", "parser");
        assertThat(result.rows()).extracting(SupervisordImport.Row::group).containsOnly(Optional.of("pipeline"));
        assertThat(result.rows()).extracting(SupervisordImport.Row::position).containsExactly(1L, 2L);
        assertThat(result.rows().get(0).spec().argv()).containsExactly("sh", "-c", "while :; do echo \"reading\"; sleep 1; done");
        SupervisordImport.Row parser = result.rows().get(1);
        assertThat(parser.spec().argv()).containsExactly("/usr/local/bin/parser", "--in=/tmp/a b", "single quoted", "back slash");
        assertThat(parser.paused()).isTrue();
        assertThat(parser.spec().restart()).isEqualTo(RestartMode.NEVER);
        assertThat(result.notMapped()).containsOnlyKeys("[group:pipeline]");
        assertThat(result.ignored()).containsExactly("[eventlistener:memmon] (not imported: event listeners have no equivalent)");
    }

    @Test
    void aFileThatCannotBeImportedIsRefusedNamingTheLine() throws Exception {
        assertThatThrownBy(() -> importer.read(write("[program:a]\ncommand=sleep 1\nnot an option\n")))
                .hasMessage("x.conf:3: expected key = value, was 'not an option'");
        assertThatThrownBy(() -> importer.read(write("[program:a]\ndirectory=/tmp\n")))
                .hasMessage("x.conf:1: [program:a] has no command=");
        assertThatThrownBy(() -> importer.read(write("[program:a]\ncommand=sleep 1\nnumprocs=2\n")))
                .hasMessageContaining("has numprocs=2 but its process_name has no %(process_num)s");
        assertThatThrownBy(() -> importer.read(write("[program:a]\ncommand=sleep %(nope)s\n")))
                .hasMessageStartingWith("x.conf:2: %(nope)s cannot be expanded; known here: ");
        assertThatThrownBy(() -> importer.read(write("[program:a]\ncommand=sleep 1\nstopsignal=LOUDLY\n")))
                .hasMessageStartingWith("x.conf:3: stopsignal: unknown signal 'LOUDLY'");
        assertThatThrownBy(() -> importer.read(write("[program:a]\ncommand=sh -c 'unclosed\n")))
                .hasMessage("x.conf:2: the command has no closing '");
        assertThatThrownBy(() -> importer.read(write("[program:a:b]\ncommand=sleep 1\n")))
                .hasMessageContaining("the process name 'a:b' of [program:a:b] is not a valid name here");
        assertThatThrownBy(() -> importer.read(write("[supervisord]\nlogfile=/tmp/x\n")))
                .hasMessageEndingWith("has no [program:x] section: nothing to import");
    }

    @Test
    void expansionsAreSupervisordsIncludingEnvironmentVariablesAndPercentSigns() throws Exception {
        SupervisordImport.Result result = importer.read(write("[program:a]\ncommand=%(ENV_APP_HOME)s/run --rate 100%%\n"
                + "process_name=%(program_name)s-%(process_num)03d\nnumprocs=1\n"));
        assertThat(result.rows().getFirst().name()).isEqualTo("a-000");
        assertThat(result.rows().getFirst().spec().argv()).containsExactly("/opt/app/run", "--rate", "100%");
    }

    private Path write(String conf) throws Exception {
        Path file = dir.resolve("x.conf");
        Files.writeString(file, conf);
        return file;
    }
}
