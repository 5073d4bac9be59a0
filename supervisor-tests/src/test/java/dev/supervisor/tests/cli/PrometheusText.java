package dev.supervisor.tests.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus's text exposition format 0.0.4: every line a {@code # HELP},
 * a {@code # TYPE} or a sample; names and label names as the format defines them, label values
 * escaped, values floats; each sample belongs to a family whose TYPE came first (a summary's
 * {@code _count} and {@code _sum}, a counter's {@code _total}); no family declared twice, no
 * series twice. Anything else fails with the line.
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|[-+]?Inf|NaN");
    private static final Map<String, List<String>> SUFFIXES = Map.of(
            "counter", List.of("_total", ""), "gauge", List.of(""), "untyped", List.of(""),
            "summary", List.of("_count", "_sum", ""), "histogram", List.of("_bucket", "_count", "_sum"));

    /** One sample: its series name, labels and value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /**
     * The samples of text.
     *
     * @throws AssertionError naming the line that breaks the format
     */
    static List<Sample> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        Set<String> series = new java.util.HashSet<>();
        List<Sample> samples = new java.util.ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            String where = "line " + number + ": " + line;
            Matcher m;
            if (line.isEmpty()) {
                continue;
            } else if ((m = HELP.matcher(line)).matches()) {
                continue;
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (types.put(m.group(1), m.group(2)) != null) {
                    throw new AssertionError("a second TYPE for " + m.group(1) + ", " + where);
                }
            } else if (line.startsWith("#")) {
                throw new AssertionError("a comment that is neither HELP nor TYPE, " + where);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                if (family(name, types) == null) {
                    throw new AssertionError("a sample of no family declared before it, " + where);
                }
                Map<String, String> labels = labels(m.group(3) == null ? "" : m.group(3), where);
                if (!FLOAT.matcher(m.group(4)).matches()) {
                    throw new AssertionError("a value that is not a float, " + where);
                }
                if (!series.add(name + labels)) {
                    throw new AssertionError("a series given twice, " + where);
                }
                String value = m.group(4).replace("Inf", "Infinity");
                samples.add(new Sample(name, labels, Double.parseDouble(value)));
            } else {
                throw new AssertionError("not a HELP, TYPE or sample line, " + where);
            }
        }
        return samples;
    }

    private static String family(String sample, Map<String, String> types) {
        for (Map.Entry<String, String> type : types.entrySet()) {
            for (String suffix : SUFFIXES.get(type.getValue())) {
                if (sample.equals(type.getKey() + suffix)) {
                    return type.getKey();
                }
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, String where) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("malformed labels at '" + text.substring(at) + "', " + where);
            }
            if (labels.put(m.group(1), m.group(2)) != null) {
                throw new AssertionError("label " + m.group(1) + " twice, " + where);
            }
            at = m.end();
        }
        return labels;
    }
}
