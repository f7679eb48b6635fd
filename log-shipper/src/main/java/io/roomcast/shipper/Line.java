package io.roomcast.shipper;

/**
 * One line read from an input.
 *
 * @param text           the decoded text without its line end; a cut line ends with the truncation marker
 * @param start          the byte position of the line's first byte
 * @param end            the byte position after the line, including its line end
 * @param malformed      the number of invalid UTF-8 sequences replaced in it
 * @param truncatedBytes how many bytes beyond the line limit were dropped (0 when none)
 * @param continuation   the rest of a line whose beginning was shipped as a partial line (it waited too long for
 *                       its line end): the same line of the input, so it has no line number of its own
 */
record Line(String text, long start, long end, int malformed, long truncatedBytes, boolean continuation) {
    Line(String text, long start, long end, int malformed, long truncatedBytes) {
        this(text, start, end, malformed, truncatedBytes, false);
    }

    boolean isBlank() {
        return text.isBlank();
    }
}
