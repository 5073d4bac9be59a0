package dev.supervisor.cli;

import dev.supervisor.RestartMode;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The command line's and the payload's names of {@link RestartMode}s: {@code always}, {@code on-failure}, {@code never}. */
public final class RestartModes {

    private RestartModes() {
    }

    /** The name of mode: {@code ON_FAILURE} is {@code on-failure}. */
    public static String name(RestartMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The mode named name.
     *
     * @throws IllegalArgumentException naming the valid names if there is none
     */
    static RestartMode parse(String name) {
        for (RestartMode mode : RestartMode.values()) {
            if (name(mode).equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown restart mode '" + name + "': use " + String.join(", ", names()));
    }

    static List<String> names() {
        return java.util.Arrays.stream(RestartMode.values()).map(RestartModes::name).toList();
    }

    /** For picocli: converts {@code --restart} and lists its values in the help. */
    public static final class Converter implements ITypeConverter<RestartMode>, Iterable<String> {
        @Override
        public RestartMode convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
