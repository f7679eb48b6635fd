package io.roomcast.shipper;

import java.util.Locale;
import java.util.Map;

/**
 * Normalises the level names of common logging libraries (and syslog severities, pino/bunyan
 * numbers) to {@code TRACE DEBUG INFO WARN ERROR FATAL}.
 */
final class LogLevels {
    /** The level words the text layouts accept, for use inside regular expressions. */
    static final String WORDS = "TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|ALERT|EMERG|PANIC|FINEST|FINER|FINE|CONFIG";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("TRACE", "TRACE"), Map.entry("FINEST", "TRACE"), Map.entry("FINER", "TRACE"),
            Map.entry("DEBUG", "DEBUG"), Map.entry("FINE", "DEBUG"), Map.entry("DBG", "DEBUG"),
            Map.entry("INFO", "INFO"), Map.entry("INFORMATION", "INFO"), Map.entry("NOTICE", "INFO"), Map.entry("CONFIG", "INFO"),
            Map.entry("WARN", "WARN"), Map.entry("WARNING", "WARN"),
            Map.entry("ERROR", "ERROR"), Map.entry("ERR", "ERROR"), Map.entry("SEVERE", "ERROR"),
            Map.entry("FATAL", "FATAL"), Map.entry("CRITICAL", "FATAL"), Map.entry("CRIT", "FATAL"),
            Map.entry("ALERT", "FATAL"), Map.entry("EMERG", "FATAL"), Map.entry("EMERGENCY", "FATAL"), Map.entry("PANIC", "FATAL"));

    private LogLevels() {
    }

    /** The normalised level for a level word, or {@code null} if it is not one. */
    static String normalise(String word) {
        return word == null ? null : NAMES.get(word.trim().toUpperCase(Locale.ROOT));
    }

    /** The level for a syslog priority value (facility * 8 + severity). */
    static String fromSyslogPriority(int priority) {
        return switch (priority & 7) {
            case 0, 1, 2 -> "FATAL";
            case 3 -> "ERROR";
            case 4 -> "WARN";
            case 5, 6 -> "INFO";
            default -> "DEBUG";
        };
    }

    /** The level for a pino/bunyan numeric level (10 trace ... 60 fatal). */
    static String fromNumber(int level) {
        if (level >= 60) {
            return "FATAL";
        } else if (level >= 50) {
            return "ERROR";
        } else if (level >= 40) {
            return "WARN";
        } else if (level >= 30) {
            return "INFO";
        } else if (level >= 20) {
            return "DEBUG";
        }
        return "TRACE";
    }
}
