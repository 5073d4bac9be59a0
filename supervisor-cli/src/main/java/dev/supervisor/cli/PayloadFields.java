package dev.supervisor.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the typed fields of a payload (sizes, durations, counts), each refused with a
 * message that names the field, says what it must be, and echoes the value cut to
 * {@link #MAX_ECHO} characters. Also used for the command line's options of the same meaning,
 * so {@code --memory-max 512M} and {@code "memoryMax": "512M"} are read by the same code.
 */
public final class PayloadFields {

    /** The longest part of a user's value echoed in a message. */
    public static final int MAX_ECHO = 80;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([KMGT]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);
    private static final String[] UNITS = {"", "K", "M", "G", "T"};

    private PayloadFields() {
    }

    /** value, cut to {@link #MAX_ECHO} characters saying how much was left out; for messages. */
    public static String shown(String value) {
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...(" + (value.length() - MAX_ECHO)
                + " more characters)";
    }

    static String shown(Object value) {
        return value instanceof String s ? "\"" + shown(s) + "\"" : shown(String.valueOf(value));
    }

    /** A string field. */
    static String string(String field, Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("\"" + field + "\" must be a string, was " + shown(value));
    }

    /**
     * A size in bytes: a whole number of bytes, or a string such as {@code "512M"} ({@code K},
     * {@code M}, {@code G}, {@code T}: powers of 1024; {@code KB}, {@code MiB} are read alike), at least {@code min}.
     */
    public static long size(String field, Object value, long min) {
        String text = value instanceof Number || value instanceof String ? String.valueOf(value).strip() : null;
        Matcher m = text == null ? null : SIZE.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(sizeError(field, value, min));
        }
        int power = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 1;
            case "M" -> 2;
            case "G" -> 3;
            case "T" -> 4;
            default -> 0;
        };
        BigInteger bytes = new BigInteger(m.group(1)).shiftLeft(10 * power);
        if (bytes.bitLength() > 62 || bytes.longValueExact() < min) {
            throw new IllegalArgumentException(sizeError(field, value, min));
        }
        return bytes.longValueExact();
    }

    private static String sizeError(String field, Object value, long min) {
        return "\"" + field + "\" must be a size such as \"512M\" (bytes, or a number with K, M, G or T), at least "
                + sizeText(min) + ", was " + shown(value);
    }

    /** A size as {@link #size} reads it, in the largest unit that divides it: {@code 512M}. */
    public static String sizeText(long bytes) {
        int unit = 0;
        long value = bytes;
        while (unit < UNITS.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + UNITS[unit];
    }

    /** A whole number within min..max. */
    public static int count(String field, Object value, int min, int max) {
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            n = ((Number) value).longValue();
            if (value instanceof BigInteger big && big.bitLength() > 62) {
                n = Long.MAX_VALUE;
            }
        } else if (value instanceof String s && s.strip().matches("-?\\d{1,18}")) {
            n = Long.parseLong(s.strip());
        } else {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number within " + min + ".." + max
                    + ", was " + shown(value));
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("\"" + field + "\" must be within " + min + ".." + max + ", was " + n);
        }
        return (int) n;
    }

    /** A number (such as CPUs) within min..max. */
    public static double number(String field, Object value, double min, double max) {
        double n;
        try {
            n = value instanceof Number number ? number.doubleValue()
                    : value instanceof String s ? Double.parseDouble(s.strip()) : Double.NaN;
        } catch (NumberFormatException e) {
            n = Double.NaN;
        }
        if (!(n >= min && n <= max)) {
            throw new IllegalArgumentException("\"" + field + "\" must be a number within " + plain(min) + ".." + plain(max)
                    + ", was " + shown(value));
        }
        return n;
    }

    /** A duration in seconds (a number, fractions allowed), within min..max. */
    public static Duration seconds(String field, Object value, Duration min, Duration max) {
        double s = number(field, value, min.toMillis() / 1000.0, max.toMillis() / 1000.0);
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** A duration as a number of seconds for the payload: {@code 10}, {@code 0.5}. */
    public static BigDecimal secondsValue(Duration d) {
        BigDecimal s = BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** A number for the payload: {@code 0.5}, {@code 2}. */
    public static BigDecimal numberValue(double n) {
        BigDecimal d = BigDecimal.valueOf(n).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /** A boolean field. */
    static boolean bool(String field, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("\"" + field + "\" must be true or false, was " + shown(value));
    }

    /** An object field. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String field, Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("\"" + field + "\" must be an object, such as {\"http\": \"http://127.0.0.1:8080/\"},"
                + " was " + shown(value));
    }

    private static String plain(double d) {
        return numberValue(d).toPlainString();
    }
}
