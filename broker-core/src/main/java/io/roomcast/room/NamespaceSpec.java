package io.roomcast.room;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Parses a namespace from its command-line form
 * {@code NAME=key:value,key:value,...}, for example
 * {@code chat=topic:roomcast.chat,partitions:8,retention:P7D,history:1000,policy:drop-oldest}.
 * {@code NAME} {@code default} is the default namespace. Keys left out keep the values of
 * {@code base} (the configured namespace of that name), or else the standard namespace
 * ({@link Namespaces#orStandard}: topic {@code roomcast.NAME}, 4 partitions, 7 days, 1000 events, lossless). Garbage gets an {@link IllegalArgumentException}
 * that names the part at fault.
 */
public final class NamespaceSpec {
    private NamespaceSpec() {
    }

    public static Namespace parse(String spec, Namespaces base) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty namespace: use NAME=key:value,... (keys: topic, partitions, retention, history, policy)");
        }
        int eq = spec.indexOf('=');
        String name = (eq < 0 ? spec : spec.substring(0, eq)).trim();
        String ns = name.equals("default") ? Namespace.DEFAULT_NAME : name;
        Namespace current = base.orStandard(ns);
        if (eq < 0 || eq == spec.length() - 1) {
            return current;
        }
        for (String part : spec.substring(eq + 1).split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("namespace " + name + ": \"" + part + "\" is not key:value");
            }
            String key = part.substring(0, colon).trim();
            String value = part.substring(colon + 1).trim();
            try {
                current = switch (key) {
                    case "topic" -> current.withTopic(value);
                    case "partitions" -> current.withPartitions(Integer.parseInt(value));
                    case "retention" -> current.withRetention(Duration.parse(value));
                    case "history" -> current.withHistorySize(Integer.parseInt(value));
                    case "policy" -> current.withPolicy(BackpressurePolicy.fromWire(value));
                    default -> throw new IllegalArgumentException("unknown key \"" + key + "\" (keys: topic, partitions, retention, history, policy)");
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("namespace " + name + ": " + key + " must be a number, was \"" + value + "\"");
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("namespace " + name + ": retention must be an ISO-8601 duration such as P7D or PT12H, was \"" + value + "\"");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("namespace " + name + ": " + e.getMessage());
            }
        }
        return current;
    }
}
