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
        if (bad || invisibleLetters(name)) {
            throw new IllegalArgumentException("name contains control or invisible characters");
        }
        return name;
    }

    /**
     * Characters of visible categories that show as nothing: Hangul fillers (letters), the combining grapheme joiner,
     * and a variation selector that follows no symbol (after an emoji it picks its style; after a letter, nothing).
     */
    private static boolean invisibleLetters(String name) {
        int previous = -1;
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            boolean selector = (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
            if (c == 0x3164 || c == 0x115F || c == 0x1160 || c == 0xFFA0 || c == 0x034F
                    || (selector && (previous == -1 || Character.isLetterOrDigit(previous) || Character.isWhitespace(previous)))) {
                return true;
            }
            previous = c;
            i += Character.charCount(c);
        }
        return false;
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
