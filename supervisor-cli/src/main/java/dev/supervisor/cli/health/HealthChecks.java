package dev.supervisor.cli.health;

import dev.supervisor.Clock;
import dev.supervisor.cli.CheckSpec;
import dev.supervisor.cli.output.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the commands' health checks for the daemon: no thread per check. A watch waits for its
 * next probe on the {@link Clock} (the system clock's one timer thread), and each probe runs on
 * a virtual thread of its own that ends with it: a TCP connect, an HTTP GET through one shared
 * {@link HttpClient}, or a shell command ({@code sh -c}) in the command's directory and
 * environment. So 1,000 rows checked every 10 s cost 100 short probes a second and no idle
 * thread. Thread-safe; {@link #close()} cancels every watch.
 */
public final class HealthChecks implements AutoCloseable {

    /** The longest one readiness probe may take. */
    static final Duration READY_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The most of a check command's output kept in its result. */
    static final int MAX_OUTPUT = 200;

    private final Clock clock;
    private final ExecutorService probes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("supervisor-check-", 0)
            .factory());
    private final HttpClient http;

    public HealthChecks(Clock clock) {
        this.clock = clock;
        this.http = HttpClient.newBuilder().executor(probes).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CheckSpec.DEFAULT_HEALTH_TIMEOUT).build();
    }

    /**
     * One probe's outcome, for people: {@code ok: http http://127.0.0.1:8080/health answered 200},
     * {@code failing: tcp 127.0.0.1:8080: connection refused}.
     *
     * @param ok whether it passed
     * @param text what happened
     * @param at when it ended
     */
    public record Result(boolean ok, String text, Instant at) {
        @Override
        public String toString() {
            return (ok ? "ok: " : "failing: ") + text;
        }
    }

    /**
     * What the checks of one attempt need: a check command runs in the command's directory and
     * environment; a notify check reads the attempt's socket.
     */
    public record CommandContext(Optional<Path> dir, Map<String, String> env, Optional<NotifySocket> notifySocket) {
    }

    /** A check being watched: {@link #done()} completes when it decided (ready, or unhealthy). */
    public static final class Watch {
        private final CompletableFuture<Result> done = new CompletableFuture<>();
        private volatile CompletableFuture<Void> timer = CompletableFuture.completedFuture(null);
        private volatile boolean cancelled;
        private int failures; // the probe chain runs one probe at a time

        /** Completes with the passing result of a readiness check, or the last failing one of an unhealthy command. */
        public CompletableFuture<Result> done() {
            return done;
        }

        /** Stops probing; a probe in flight is not reported. */
        public void cancel() {
            cancelled = true;
            timer.cancel(false);
        }
    }

    /**
     * Probes a readiness check every {@link CheckSpec#interval()} from now until one passes;
     * {@code done()} then completes with it. Each result goes to onResult (on a probe's thread).
     */
    public Watch ready(CheckSpec check, CommandContext context, Consumer<Result> onResult) {
        Watch watch = new Watch();
        next(watch, check, context, onResult, Duration.ZERO, true);
        return watch;
    }

    /**
     * Probes a liveness check every {@link CheckSpec#interval()}; after {@link CheckSpec#failures()}
     * failed probes in a row, {@code done()} completes with the last one and probing stops.
     */
    public Watch liveness(CheckSpec check, CommandContext context, Consumer<Result> onResult) {
        Watch watch = new Watch();
        next(watch, check, context, onResult, check.interval(), false);
        return watch;
    }

    private void next(Watch watch, CheckSpec check, CommandContext context, Consumer<Result> onResult, Duration delay,
            boolean readiness) {
        if (watch.cancelled || watch.done.isDone()) {
            return;
        }
        CompletableFuture<Void> timer = clock.after(delay);
        watch.timer = timer;
        timer.thenRunAsync(() -> {
            if (watch.cancelled) {
                return;
            }
            Duration timeout = readiness ? READY_PROBE_TIMEOUT : check.timeout();
            Result result = probe(check, timeout, context);
            if (watch.cancelled) {
                return;
            }
            if (readiness && !result.ok()) {
                onResult.accept(result);
            } else if (!readiness) {
                watch.failures = result.ok() ? 0 : watch.failures + 1;
                onResult.accept(result.ok() || watch.failures >= check.failures() ? result
                        : new Result(false, result.text() + " (" + watch.failures + " of " + check.failures() + ")",
                                result.at()));
            }
            if (readiness && result.ok()) {
                onResult.accept(result);
                watch.done.complete(result);
            } else if (!readiness && watch.failures >= check.failures()) {
                watch.done.complete(result);
            } else {
                next(watch, check, context, onResult, check.interval(), readiness);
            }
        }, probes);
    }

    /** Runs one probe on the calling thread (a virtual one), bounded by timeout. */
    public Result probe(CheckSpec check, Duration timeout, CommandContext context) {
        String what = check.describe();
        try {
            String ok = switch (check.kind()) {
                case TCP -> tcp(check, timeout);
                case HTTP -> http(check, timeout);
                case CMD -> cmd(check, timeout, context);
                case NOTIFY -> notify(context);
            };
            return new Result(true, what + " " + ok, clock.now());
        } catch (CheckFailed e) {
            return new Result(false, what + ": " + e.getMessage(), clock.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, what + ": interrupted", clock.now());
        }
    }

    private static final class CheckFailed extends Exception {
        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }

    private static String notify(CommandContext context) throws CheckFailed {
        NotifySocket socket = context.notifySocket().orElseThrow(() -> new CheckFailed("no notify socket"));
        if (socket.readyNow()) {
            return "received";
        }
        throw new CheckFailed("no READY=1 yet" + socket.status().map(s -> " (STATUS=" + dev.supervisor.cli.PayloadFields.shown(s)
                + ")").orElse(""));
    }

    private static String tcp(CheckSpec check, Duration timeout) throws CheckFailed {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(check.host(), check.port()), (int) Math.max(1, timeout.toMillis()));
            return "accepted";
        } catch (SocketTimeoutException e) {
            throw new CheckFailed("no answer within " + Durations.seconds(timeout));
        } catch (ConnectException e) {
            throw new CheckFailed("connection refused");
        } catch (IOException e) {
            throw new CheckFailed(String.valueOf(e.getMessage()));
        }
    }

    private String http(CheckSpec check, Duration timeout) throws CheckFailed, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(check.target())).timeout(timeout).GET()
                .header("User-Agent", "supervisor-health-check").build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode(); // bounded by its timeout
            if (status >= 200 && status < 400) {
                return "answered " + status;
            }
            throw new CheckFailed("answered " + status);
        } catch (HttpTimeoutException e) { // the connect timeout too
            throw new CheckFailed("no answer within " + Durations.seconds(timeout));
        } catch (ConnectException e) {
            throw new CheckFailed("connection refused");
        } catch (IOException e) {
            throw new CheckFailed(e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT));
        }
    }

    private static String cmd(CheckSpec check, Duration timeout, CommandContext context) throws CheckFailed, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", check.target()));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        context.dir().ifPresent(d -> builder.directory(d.toFile()));
        builder.environment().putAll(context.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CheckFailed("cannot run it: " + e.getMessage());
        }
        byte[][] head = {new byte[0]};
        InputStream out = process.getInputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (out) {
                head[0] = out.readNBytes(MAX_OUTPUT);
                out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException closed) {
                // the process was killed
            }
        });
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new CheckFailed("did not end within " + Durations.seconds(timeout));
        }
        reader.join(Duration.ofSeconds(1));
        String text = new String(head[0], StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (process.exitValue() == 0) {
            return "exited 0";
        }
        throw new CheckFailed("exited " + process.exitValue() + (text.isEmpty() ? "" : ": " + text));
    }

    @Override
    public void close() {
        probes.shutdownNow();
        http.shutdownNow();
    }
}
