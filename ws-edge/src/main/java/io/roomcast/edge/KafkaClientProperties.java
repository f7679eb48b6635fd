package io.roomcast.edge;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings an operator adds to every Kafka client of an edge (admin, live and history
 * consumers, publisher): security protocol, SASL, TLS, timeouts. Settings that Roomcast's
 * guarantees rest on are refused rather than silently overridden.
 *
 * @param values the settings, as Kafka's client configs take them
 */
public record KafkaClientProperties(Map<String, String> values) {
    /** Settings Roomcast sets itself: changing them would break ordering, exactly-once publish or resume. */
    static final Set<String> RESERVED = Set.of("bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer",
            "value.deserializer", "group.id", "group.instance.id", "enable.auto.commit", "auto.offset.reset", "enable.idempotence",
            "acks", "isolation.level", "partitioner.class");

    public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());

    public KafkaClientProperties {
        Map<String, String> checked = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey().trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a Kafka client setting needs a name (KEY=VALUE)");
            }
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("Kafka client setting '" + key + "' is set by Roomcast and cannot be changed"
                        + (key.equals("bootstrap.servers") ? " (use --kafka)" : ""));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("Kafka client setting '" + key + "' has no value");
            }
            checked.put(key, e.getValue());
        }
        values = Map.copyOf(checked);
    }

    /** The settings of a Java properties file (UTF-8), where secrets belong rather than on a command line. */
    public static KafkaClientProperties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read Kafka client settings from " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return new KafkaClientProperties(values);
    }

    /** These settings with {@code more} on top (a setting in both takes {@code more}'s value). */
    public KafkaClientProperties with(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(values);
        all.putAll(more);
        return new KafkaClientProperties(all);
    }

    /** These settings under {@code overrides} (per-client tuning wins), as a client config map. */
    Map<String, Object> under(Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(values);
        all.putAll(overrides);
        return all;
    }
}
