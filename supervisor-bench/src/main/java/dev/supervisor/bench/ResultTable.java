package dev.supervisor.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The results as a markdown table (one row per measurement, one column per store, the goal last;
 * a cell missing its goal is marked ✗, one meeting it ✓) and as CSV (one line per number).
 */
final class ResultTable {

    private static final List<Store> COLUMNS = List.of(Store.H2, Store.POSTGRESQL, Store.MARIADB, Store.IN_MEMORY);

    private ResultTable() {
    }

    /** The paste-able markdown table. */
    static String markdown(Results results) {
        Map<Store, String> skipped = results.skipped();
        StringBuilder out = new StringBuilder();
        out.append("| scenario | measurement |");
        COLUMNS.forEach(store -> out.append(' ').append(store.title()).append(" |"));
        out.append(" goal |\n|---|---|");
        COLUMNS.forEach(store -> out.append("---:|"));
        out.append("---|\n");
        for (Map.Entry<List<String>, List<Measurement>> row : rows(results.measurements()).entrySet()) {
            List<Measurement> cells = row.getValue();
            out.append("| ").append(row.getKey().get(0)).append(" | ").append(row.getKey().get(1)).append(" |");
            for (Store store : COLUMNS) {
                List<Measurement> cell = cells.stream().filter(m -> m.store() == store).toList();
                out.append(' ').append(cell.isEmpty() ? (skipped.containsKey(store) ? "skipped" : "–") : cell(cell))
                        .append(" |");
            }
            Set<String> goals = cells.stream().filter(m -> m.goal() != null).map(m -> m.goal().text())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            out.append(' ').append(String.join("; ", goals)).append(" |\n");
        }
        return out.toString();
    }

    /** The measurements grouped by (scenario, row), in the order they were first recorded. */
    private static Map<List<String>, List<Measurement>> rows(List<Measurement> measurements) {
        Map<List<String>, List<Measurement>> rows = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            rows.computeIfAbsent(List.of(m.scenario(), m.row()), k -> new ArrayList<>()).add(m);
        }
        return rows;
    }

    /** "2.05 / 6.51 / 17.8 ms ✓": the cell's numbers, its unit once, and the verdict if it has a goal. */
    private static String cell(List<Measurement> cell) {
        String numbers = cell.stream().map(m -> m.unit().format(m.value())).collect(Collectors.joining(" / "));
        String text = cell.get(0).unit().append(numbers);
        boolean hasGoal = cell.stream().anyMatch(m -> m.goal() != null);
        if (!hasGoal) {
            return text;
        }
        return text + (cell.stream().allMatch(Measurement::met) ? " ✓" : " ✗");
    }

    /** One line per number: scenario, row, store, metric, value, unit, goal, met. */
    static String csv(Results results) {
        StringBuilder out = new StringBuilder("scenario,measurement,store,metric,value,unit,goal,met\n");
        for (Measurement m : results.measurements()) {
            out.append(String.join(",", quote(m.scenario()), quote(m.row()), m.store().name(), quote(m.metric()),
                    Double.toString(m.value()), quote(m.unit().suffix()), quote(m.goal() == null ? "" : m.goal().text()),
                    m.goal() == null ? "" : Boolean.toString(m.met()))).append('\n');
        }
        return out.toString();
    }

    private static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    /** The measurements that miss their goal. */
    static List<Measurement> missed(Results results) {
        return results.measurements().stream().filter(m -> !m.met()).toList();
    }
}
