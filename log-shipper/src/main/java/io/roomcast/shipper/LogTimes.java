package io.roomcast.shipper;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the timestamps found in log lines into instants. Times without an offset are read in
 * the configured zone; times without a date (logback's default {@code HH:mm:ss.SSS}) or without
 * a year (syslog) take the date or year that puts them nearest before "now". Never throws:
 * anything unrecognised yields {@code null}.
 */
final class LogTimes {
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4})[-/](\\d{2})[-/](\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?\\s?(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final DateTimeFormatter MONTH_DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ROOT);

    private LogTimes() {
    }

    /** An ISO-8601-like date and time ({@code T} or space, {@code .} or {@code ,}, optional offset). */
    static Instant parseDateTime(String text, ZoneId zone) {
        Matcher m = ISO.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), nanos(m.group(7)));
            String offset = m.group(8);
            if (offset == null) {
                return local.atZone(zone).toInstant();
            }
            return OffsetDateTime.of(local, java.time.ZoneOffset.of(normaliseOffset(offset))).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /** A time of day, on the date that makes it the latest such time not more than an hour ahead of now. */
    static Instant parseTimeOfDay(String hms, String fraction, ZoneId zone, Instant now) {
        try {
            LocalTime time = LocalTime.parse(hms).withNano(nanos(fraction));
            ZonedDateTime candidate = LocalDate.ofInstant(now, zone).atTime(time).atZone(zone);
            if (candidate.toInstant().isAfter(now.plusSeconds(3600))) {
                candidate = candidate.minusDays(1);
            }
            return candidate.toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A syslog (RFC 3164) date such as {@code Oct 11 22:14:15}, in the year that puts it nearest before now. */
    static Instant parseSyslog(String month, String day, String hms, ZoneId zone, Instant now) {
        try {
            MonthDay monthDay = MonthDay.parse(month + " " + day, MONTH_DAY);
            LocalTime time = LocalTime.parse(hms);
            int year = LocalDate.ofInstant(now, zone).getYear();
            ZonedDateTime candidate = monthDay.atYear(year).atTime(time).atZone(zone);
            if (candidate.toInstant().isAfter(now.plusSeconds(86_400))) {
                candidate = candidate.minusYears(1);
            }
            return candidate.toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Seconds or milliseconds since the epoch, told apart by magnitude. */
    static Instant fromEpochNumber(double value) {
        if (!Double.isFinite(value) || value <= 0) {
            return null;
        }
        // Below 1e11 a value is seconds (that is the year 5138 in seconds, 1973 in milliseconds).
        double millis = value < 1e11 ? value * 1000 : value;
        if (millis > 1e14) {
            return null;
        }
        return Instant.ofEpochMilli((long) millis);
    }

    private static int nanos(String fraction) {
        if (fraction == null || fraction.isEmpty()) {
            return 0;
        }
        String padded = (fraction + "000000000").substring(0, 9);
        return Integer.parseInt(padded);
    }

    private static String normaliseOffset(String offset) {
        if (offset.equals("Z")) {
            return offset;
        }
        String digits = offset.substring(1).replace(":", "");
        String hh = digits.substring(0, 2);
        String mm = digits.length() >= 4 ? digits.substring(2, 4) : "00";
        return offset.charAt(0) + hh + ":" + mm;
    }
}
