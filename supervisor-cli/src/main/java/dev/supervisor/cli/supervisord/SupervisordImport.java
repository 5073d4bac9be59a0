package dev.supervisor.cli.supervisord;

import dev.supervisor.RestartMode;
import dev.supervisor.cli.CommandSpec;
import dev.supervisor.cli.PayloadFields;
import dev.supervisor.cli.RowSettings;
import dev.supervisor.cli.supervisord.IniFile.Section;
import dev.supervisor.cli.supervisord.IniFile.Value;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a supervisord configuration into rows: each {@code [program:x]} (each of its
 * {@code numprocs} processes) becomes one row, each option with an equivalent mapped, each other
 * option named per program ({@link Result#notMapped()}). Reads {@code [include]} files and
 * {@code [group:x]} sections, and expands {@code %(program_name)s}, {@code %(process_num)02d},
 * {@code %(group_name)s}, {@code %(numprocs)d}, {@code %(host_node_name)s}, {@code %(here)s} and
 * {@code %(ENV_X)s} as supervisord does. Any error (a line that is not INI, a program without a
 * command, a value that is not valid, two processes of one name) refuses the whole file, naming
 * the file and line.
 */
public final class SupervisordImport {

    /** One row to add. */
    public record Row(String name, CommandSpec spec, boolean paused, Optional<String> group, long position) {
    }

    /**
     * What a configuration becomes.
     *
     * @param rows the rows, in file order
     * @param notMapped per program, the options that have no equivalent and were left out (with why)
     * @param ignored the sections not imported (the daemon's own settings, event listeners)
     */
    public record Result(List<Row> rows, Map<String, List<String>> notMapped, List<String> ignored) {
    }

    /** Names as {@code add} takes them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern EXPANSION = Pattern.compile("%\\(([A-Za-z0-9_]+)\\)([-#0 +]*)(\\d*)([sd])|%%");
    /** Sections that configure supervisord itself: nothing to import. */
    private static final Set<String> OWN_SECTIONS = Set.of("supervisord", "supervisorctl", "unix_http_server",
            "inet_http_server", "include");
    /** Options that are mapped (the others are named as not mapped). */
    private static final Set<String> MAPPED = Set.of("command", "process_name", "numprocs", "numprocs_start", "directory",
            "environment", "user", "autostart", "autorestart", "exitcodes", "startsecs", "startretries", "stopsignal",
            "stopwaitsecs", "stopasgroup", "killasgroup", "priority", "redirect_stderr", "stdout_logfile_maxbytes",
            "stdout_logfile_backups", "stderr_logfile_maxbytes", "stderr_logfile_backups");

    private final Map<String, String> environment;
    private final String host;

    SupervisordImport(Map<String, String> environment, String host) {
        this.environment = environment;
        this.host = host;
    }

    /** An import with this process's environment (for {@code %(ENV_X)s}) and host name. */
    public static SupervisordImport withSystem() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return new SupervisordImport(System.getenv(), host);
    }

    /**
     * Reads file and its includes.
     *
     * @throws IllegalArgumentException saying what is wrong and where (file:line)
     * @throws IOException if a file cannot be read
     */
    public Result read(Path file) throws IOException {
        List<Section> sections = new ArrayList<>();
        collect(file.toAbsolutePath().normalize(), sections, new LinkedHashSet<>());
        Map<String, Section> programs = new LinkedHashMap<>();
        Map<String, String> groupOf = new LinkedHashMap<>();
        Map<String, List<String>> notMapped = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Section section : sections) {
            String name = section.name();
            if (name.startsWith("program:")) {
                String program = name.substring("program:".length()).strip();
                if (programs.put(program, section) != null) {
                    throw new IllegalArgumentException(where(section) + ": [program:" + program + "] is defined twice");
                }
            } else if (name.startsWith("group:")) {
                String group = name.substring("group:".length()).strip();
                Value members = section.options().get("programs");
                if (members == null) {
                    throw new IllegalArgumentException(where(section) + ": [group:" + group + "] has no programs=");
                }
                for (String member : members.text().split("\\s*,\\s*")) {
                    if (!member.isBlank() && groupOf.put(member.strip(), group) != null) {
                        throw new IllegalArgumentException(members.where() + ": program " + member.strip()
                                + " is in two groups");
                    }
                }
                for (String option : section.options().keySet()) {
                    if (!option.equals("programs")) {
                        notMapped.computeIfAbsent("[group:" + group + "]", k -> new ArrayList<>())
                                .add(option + "=" + section.options().get(option).text() + " (only the members and their "
                                        + "order within the group are imported)");
                    }
                }
            } else if (name.startsWith("rpcinterface:") || OWN_SECTIONS.contains(name)) {
                if (!name.equals("include")) {
                    ignored.add("[" + name + "] (supervisord's own settings)");
                }
            } else if (name.startsWith("eventlistener:") || name.startsWith("fcgi-program:")) {
                ignored.add("[" + name + "] (not imported: " + (name.startsWith("eventlistener:") ? "event listeners"
                        : "FastCGI programs") + " have no equivalent)");
            } else {
                ignored.add("[" + name + "] (unknown section)");
            }
        }
        for (String member : groupOf.keySet()) {
            if (!programs.containsKey(member)) {
                throw new IllegalArgumentException("a [group:" + groupOf.get(member) + "] names program " + member
                        + ", which has no [program:" + member + "] section");
            }
        }
        List<Row> rows = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Map.Entry<String, Section> program : programs.entrySet()) {
            List<String> left = new ArrayList<>();
            for (Row row : rows(program.getKey(), program.getValue(), Optional.ofNullable(groupOf.get(program.getKey())),
                    left)) {
                String previous = names.put(row.name(), program.getKey());
                if (previous != null) {
                    throw new IllegalArgumentException(where(program.getValue()) + ": [program:" + program.getKey()
                            + "] makes a process named " + row.name() + ", as [program:" + previous + "] does");
                }
                rows.add(row);
            }
            if (!left.isEmpty()) {
                notMapped.put(program.getKey(), left);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " has no [program:x] section: nothing to import");
        }
        return new Result(rows, notMapped, ignored);
    }

    /** Reads file's sections into sections, then those of the files its [include] names. */
    private void collect(Path file, List<Section> sections, Set<Path> seen) throws IOException {
        if (!seen.add(file)) {
            return;
        }
        List<Section> own;
        try {
            own = IniFile.read(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such file");
        }
        sections.addAll(own);
        for (Section section : own) {
            if (section.name().equals("include") && section.options().containsKey("files")) {
                Value files = section.options().get("files");
                String expanded = expand(files, Map.of("here", file.getParent().toString()));
                for (String pattern : expanded.split("\\s+")) {
                    if (!pattern.isEmpty()) {
                        for (Path included : glob(file.getParent(), pattern)) {
                            collect(included, sections, seen);
                        }
                    }
                }
            }
        }
    }

    /** The files pattern (relative to dir, a glob in its last part) names, sorted as supervisord does. */
    private static List<Path> glob(Path dir, String pattern) throws IOException {
        Path full = dir.resolve(pattern).normalize();
        Path parent = full.getParent();
        String last = full.getFileName().toString();
        TreeSet<Path> found = new TreeSet<>();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, last)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    found.add(entry);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** The rows of one program: one per process of numprocs. */
    private List<Row> rows(String program, Section section, Optional<String> group, List<String> left) {
        Map<String, Value> o = section.options();
        Map<String, String> base = new LinkedHashMap<>();
        base.put("program_name", program);
        base.put("group_name", group.orElse(program));
        base.put("host_node_name", host);
        base.put("here", section.file().getParent().toString());
        int numprocs = integer(o, "numprocs", base, 1, 1, 10_000);
        int start = integer(o, "numprocs_start", base, 0, 0, 1_000_000);
        base.put("numprocs", Integer.toString(numprocs));
        Value command = o.get("command");
        if (command == null) {
            throw new IllegalArgumentException(where(section) + ": [program:" + program + "] has no command=");
        }
        Value processName = o.getOrDefault("process_name", null);
        if (numprocs > 1 && (processName == null || !processName.text().contains("process_num"))) {
            throw new IllegalArgumentException(where(section) + ": [program:" + program + "] has numprocs=" + numprocs
                    + " but its process_name has no %(process_num)s, so its processes would share one name");
        }
        for (String option : o.keySet()) {
            if (!MAPPED.contains(option)) {
                left.add(option + "=" + PayloadFields.shown(o.get(option).text()) + why(option));
            }
        }
        notes(o, left);
        List<Row> rows = new ArrayList<>();
        for (int n = start; n < start + numprocs; n++) {
            Map<String, String> expansions = new LinkedHashMap<>(base);
            expansions.put("process_num", Integer.toString(n));
            String name = processName == null ? program : expand(processName, expansions);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException((processName == null ? where(section) : processName.where()) + ": the "
                        + "process name " + IniFile.shown(name) + " of [program:" + program + "] is not a valid name here: "
                        + "use letters, digits, '.', '_' and '-' (starting with a letter or digit), at most 128 characters");
            }
            rows.add(row(program, name, section, group, expansions));
        }
        return rows;
    }

    private Row row(String program, String name, Section section, Optional<String> group, Map<String, String> x) {
        Map<String, Value> o = section.options();
        Value command = o.get("command");
        List<String> argv = ShellSplit.split(expand(command, x), command.where());
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(command.where() + ": [program:" + program + "] has an empty command");
        }
        Map<String, String> env = o.containsKey("environment") ? environment(o.get("environment"), x) : Map.of();
        Optional<Path> dir = Optional.ofNullable(o.get("directory")).map(d -> Path.of(expand(d, x)));
        RowSettings s = RowSettings.DEFAULT;
        RestartMode mode = RestartMode.ON_FAILURE; // supervisord's default: autorestart=unexpected
        if (o.containsKey("autorestart")) {
            String value = expand(o.get("autorestart"), x).toLowerCase(Locale.ROOT);
            mode = switch (value) {
                case "unexpected" -> RestartMode.ON_FAILURE;
                case "true", "yes", "on", "1" -> RestartMode.ALWAYS;
                case "false", "no", "off", "0" -> RestartMode.NEVER;
                default -> throw new IllegalArgumentException(o.get("autorestart").where() + ": autorestart must be true, "
                        + "false or unexpected, was " + IniFile.shown(value));
            };
        }
        s = set(s, o, "exitcodes", "successExitCodes", x);
        s = set(s, o, "startsecs", "startGrace", x);
        s = set(s, o, "startretries", "startRetries", x);
        s = set(s, o, "stopsignal", "stopSignal", x);
        s = set(s, o, "stopwaitsecs", "stopTimeout", x);
        s = set(s, o, "user", "user", x);
        boolean redirect = o.containsKey("redirect_stderr") && bool(o.get("redirect_stderr"), x);
        s = s.with("stderr", redirect ? "merged" : "separate");
        if (o.containsKey("stdout_logfile_maxbytes") && !sizeIsZero(o.get("stdout_logfile_maxbytes"), x)) {
            s = set(s, o, "stdout_logfile_maxbytes", "logSize", x);
        }
        s = set(s, o, "stdout_logfile_backups", "logFiles", x);
        boolean autostart = !o.containsKey("autostart") || bool(o.get("autostart"), x);
        long position = o.containsKey("priority") ? integer(o, "priority", x, 999, -1_000_000, 1_000_000) : 999;
        Optional<String> rowGroup = group.or(() -> integer(o, "numprocs", x, 1, 1, 10_000) > 1
                ? Optional.of(program) : Optional.empty());
        return new Row(name, new CommandSpec(argv, env, dir, mode, s), !autostart, rowGroup, position);
    }

    /** Notes on options that are mapped only in part. */
    private static void notes(Map<String, Value> o, List<String> left) {
        for (String option : List.of("stopasgroup", "killasgroup")) {
            if (o.containsKey(option) && List.of("false", "no", "off", "0").contains(o.get(option).text().toLowerCase(Locale.ROOT))) {
                left.add(option + "=false (the whole process group is always signalled)");
            }
        }
        if (o.containsKey("stdout_logfile_maxbytes") && o.get("stdout_logfile_maxbytes").text().strip().matches("0+\\s*\\w*")) {
            left.add("stdout_logfile_maxbytes=0 (logs always rotate: at the daemon's --log-size)");
        }
        for (String option : List.of("stderr_logfile_maxbytes", "stderr_logfile_backups")) {
            String stdout = option.replace("stderr", "stdout");
            if (o.containsKey(option) && !(o.containsKey(stdout) && o.get(stdout).text().equals(o.get(option).text()))) {
                left.add(option + "=" + PayloadFields.shown(o.get(option).text()) + " (stderr's log rotates as stdout's)");
            }
        }
    }

    private static String why(String option) {
        if (option.endsWith("_logfile")) {
            return " (logs go to HOME/logs/NAME.log, stderr to HOME/logs/stderr/NAME.log)";
        }
        return "";
    }

    private RowSettings set(RowSettings settings, Map<String, Value> o, String option, String field, Map<String, String> x) {
        Value value = o.get(option);
        if (value == null) {
            return settings;
        }
        String text = expand(value, x);
        if (field.equals("stopSignal")) {
            text = text.toUpperCase(Locale.ROOT);
        }
        try {
            return settings.with(field, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(value.where() + ": " + option + ": " + e.getMessage()
                    .replace("\"" + field + "\" ", "").replace("\"" + field + "\": ", ""), e);
        }
    }

    private int integer(Map<String, Value> o, String option, Map<String, String> x, int otherwise, int min, int max) {
        Value value = o.get(option);
        if (value == null) {
            return otherwise;
        }
        String text = expand(value, x).strip();
        if (!text.matches("-?\\d{1,9}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw new IllegalArgumentException(value.where() + ": " + option + " must be a whole number within " + min + ".."
                    + max + ", was " + IniFile.shown(text));
        }
        return Integer.parseInt(text);
    }

    private boolean bool(Value value, Map<String, String> x) {
        String text = expand(value, x).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(value.where() + ": expected true or false, was " + IniFile.shown(text));
        };
    }

    private boolean sizeIsZero(Value value, Map<String, String> x) {
        return expand(value, x).strip().matches("0+\\s*[A-Za-z]*");
    }

    /** supervisord's {@code environment}: {@code KEY="value",KEY2=value2}, values quoted or not. */
    private Map<String, String> environment(Value value, Map<String, String> x) {
        String text = expand(value, x);
        Map<String, String> env = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                throw new IllegalArgumentException(value.where() + ": environment must be KEY=\"value\",KEY2=\"value2\"; "
                        + "no '=' after " + IniFile.shown(text.substring(i)));
            }
            String key = text.substring(i, equals).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(value.where() + ": environment: " + IniFile.shown(key)
                        + " is not a variable name");
            }
            StringBuilder v = new StringBuilder();
            i = equals + 1;
            char quote = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                        v.append(text.charAt(++i));
                    } else {
                        v.append(c);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == ',') {
                    break;
                } else {
                    v.append(c);
                }
                i++;
            }
            if (quote != 0) {
                throw new IllegalArgumentException(value.where() + ": environment: the value of " + key + " has no closing "
                        + quote);
            }
            env.put(key, quote == 0 && v.toString().equals(v.toString().strip()) ? v.toString() : v.toString().strip());
        }
        return env;
    }

    /** value with supervisord's expansions, {@code %(name)s} and {@code %(name)02d}; {@code %%} is {@code %}. */
    String expand(Value value, Map<String, String> expansions) {
        Matcher m = EXPANSION.matcher(value.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("%%")) {
                replacement = "%";
            } else {
                String key = m.group(1);
                String found = key.startsWith("ENV_") ? environment.get(key.substring(4)) : expansions.get(key);
                if (found == null) {
                    throw new IllegalArgumentException(value.where() + ": %(" + key + ")" + m.group(4) + " cannot be expanded"
                            + (key.startsWith("ENV_") ? ": no environment variable " + key.substring(4)
                            : "; known here: " + String.join(", ", new TreeSet<>(expansions.keySet())) + ", ENV_*"));
                }
                if (m.group(4).equals("d")) {
                    if (!found.matches("-?\\d+")) {
                        throw new IllegalArgumentException(value.where() + ": %(" + key + ")d needs a number, " + key + " is "
                                + IniFile.shown(found));
                    }
                    String width = m.group(3);
                    String flags = m.group(2);
                    replacement = width.isEmpty() ? found : String.format(Locale.ROOT, "%" + (flags.contains("0") ? "0" : "")
                            + (flags.contains("-") ? "-" : "") + width + "d", Long.parseLong(found));
                } else {
                    replacement = m.group(3).isEmpty() ? found : String.format(Locale.ROOT, "%" + (m.group(2).contains("-")
                            ? "-" : "") + m.group(3) + "s", found);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String where(Section section) {
        return section.file().getFileName() + ":" + section.line();
    }
}
