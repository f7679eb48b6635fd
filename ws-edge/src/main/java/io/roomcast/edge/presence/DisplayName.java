package io.roomcast.edge.presence;

/**
 * Validates a display name a client chose: trimmed, 1 to {@code maxLength} characters, no control,
 * format or private-use characters (which could fake other names or break a UI). Pure.
 */
public final class DisplayName {
    private DisplayName() {
    }

    /** The valid name, or an {@link IllegalArgumentException} that says what is wrong. */
    public static String validate(String raw, int maxLength) {
        String name = trim(raw);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (name.codePointCount(0, name.length()) > maxLength) {
            throw new IllegalArgumentException("name is longer than " + maxLength + " characters");
        }
        boolean bad = name.codePoints().anyMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        });
        if (bad) {
            throw new IllegalArgumentException("name contains control or invisible characters");
        }
        return name;
    }

    /** Without leading and trailing spaces of any kind: {@link String#strip} keeps no-break spaces, which show as nothing. */
    private static String trim(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && blank(raw.codePointAt(start))) {
            start += Character.charCount(raw.codePointAt(start));
        }
        while (end > start && blank(raw.codePointBefore(end))) {
            end -= Character.charCount(raw.codePointBefore(end));
        }
        return raw.substring(start, end);
    }

    private static boolean blank(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
