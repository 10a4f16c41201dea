package io.github.outlook365.camel;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Reads the value of an option or header whose values are fixed (an enum): case does not matter, and an unknown value
 * is refused with the values there are.
 */
public final class EnumValues {

    private EnumValues() {
    }

    /**
     * @param what names the option or header for the error, e.g. {@code option importance}
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return e;
            }
        }
        throw unknown(type, text, what);
    }

    /** Refuses {@code text} unless it names a constant of the enum {@code type}. */
    public static void check(Class<?> type, String text, String what) {
        for (Object e : type.getEnumConstants()) {
            if (((Enum<?>) e).name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return;
            }
        }
        throw unknown(type, text, what);
    }

    /** {@code a, b, c}: the constants of the enum {@code type}, for messages. */
    public static String names(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> ((Enum<?>) e).name()).collect(Collectors.joining(", "));
    }

    private static IllegalArgumentException unknown(Class<?> type, String text, String what) {
        return new IllegalArgumentException(what + "='" + text + "' is not known: use one of " + names(type));
    }
}
