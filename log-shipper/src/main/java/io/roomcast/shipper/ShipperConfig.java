package io.roomcast.shipper;

import io.roomcast.kafka.KafkaSettings;
import io.roomcast.kafka.ReservedSettings;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a {@link LogShipper} needs. Immutable; validated on construction with messages
 * that name the offending setting.
 *
 * @param kafka           bootstrap servers, {@code host:port[,host:port...]}
 * @param host            the name this shipper writes as {@code source.host} and into the
 *                        {@code host} header; it scopes the positions it finds at restart, so
 *                        it must stay the same across restarts of one shipper
 * @param sources         at least one source; at most one of them stdin
 * @param topics          which topic holds which room
 * @param settings        timings and limits
 * @param kafkaProperties further producer/consumer properties (security, compression, ...); none of {@link ReservedSettings}
 * @param zone            the zone of timestamps that carry no offset
 * @param positionKey     signs the position headers, so that the read-back ignores positions
 *                        written by anyone else; {@code null} trusts every record with this host
 */
public record ShipperConfig(String kafka, String host, List<SourceConfig> sources, TopicLayout topics,
                            ShipperSettings settings, Map<String, String> kafkaProperties, ZoneId zone,
                            PositionKey positionKey) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:-]{1,255}");

    public ShipperConfig {
        if (kafka == null || kafka.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers are required, for example localhost:9092");
        }
        if (host == null || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("invalid host name '" + host + "': use 1-255 characters of A-Z a-z 0-9 . _ : -");
        }
        Objects.requireNonNull(sources, "sources");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("at least one source is required (--file with --room, --stdin, or sources in the config file)");
        }
        sources = List.copyOf(sources);
        if (sources.stream().filter(SourceConfig::stdin).count() > 1) {
            throw new IllegalArgumentException("only one source can read stdin");
        }
        Set<String> patterns = new HashSet<>();
        for (SourceConfig s : sources) {
            if (s.file() != null && !patterns.add(s.file())) {
                throw new IllegalArgumentException("file pattern " + s.file() + " is configured twice; its lines would be shipped twice");
            }
        }
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(settings, "settings");
        kafkaProperties = Map.copyOf(kafkaProperties);
        kafkaProperties.forEach(KafkaSettings::check);
        KafkaSettings.checkTogether(kafkaProperties);
        Objects.requireNonNull(zone, "zone");
    }

    /** A configuration without a position key. */
    public ShipperConfig(String kafka, String host, List<SourceConfig> sources, TopicLayout topics,
                         ShipperSettings settings, Map<String, String> kafkaProperties, ZoneId zone) {
        this(kafka, host, sources, topics, settings, kafkaProperties, zone, null);
    }

    /** A configuration with this machine's host name, default topics, settings and zone. */
    public static ShipperConfig of(String kafka, List<SourceConfig> sources) {
        return new ShipperConfig(kafka, localHostName(), sources, TopicLayout.defaults(), ShipperSettings.defaults(),
                Map.of(), ZoneId.systemDefault());
    }

    public ShipperConfig withHost(String newHost) {
        return new ShipperConfig(kafka, newHost, sources, topics, settings, kafkaProperties, zone, positionKey);
    }

    public ShipperConfig withSettings(ShipperSettings newSettings) {
        return new ShipperConfig(kafka, host, sources, topics, newSettings, kafkaProperties, zone, positionKey);
    }

    ShipperConfig withPositionKey(PositionKey key) {
        return new ShipperConfig(kafka, host, sources, topics, settings, kafkaProperties, zone, key);
    }

    /** The topic a source ships into: its own override or the layout's. */
    public String topicFor(SourceConfig source) {
        return source.topic() != null ? source.topic() : topics.topicFor(source.room());
    }

    /** This machine's host name, or {@code localhost} when it has none that resolves. */
    public static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && HOST.matcher(env).matches()) {
            return env;
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return HOST.matcher(name).matches() ? name : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
