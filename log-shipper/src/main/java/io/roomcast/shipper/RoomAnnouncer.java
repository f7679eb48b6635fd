package io.roomcast.shipper;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.topic.SideTopic;
import io.roomcast.topic.TopicMaker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the shipper's rooms in the room directory (docs/apps.md): a compacted topic beside each
 * room's topic ({@code roomcast.logs} gives {@code roomcast.rooms}), key = room, value
 * {@code {"room","source","lastActivity"}}, written at start and every minute while the shipper
 * runs. Best effort on its own daemon thread: the directory only helps the apps find rooms, so a
 * failure is logged at debug and never touches shipping.
 */
final class RoomAnnouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomAnnouncer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration EVERY = Duration.ofMinutes(1);

    private final ShipperConfig config;
    private final Map<String, Entry> rooms;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService timer;
    private boolean topicsEnsured;

    /** One room of the directory and the topic its entry goes to. */
    record Entry(String directoryTopic, String source) {
    }

    RoomAnnouncer(ShipperConfig config, Map<String, Entry> rooms, Clock clock) {
        this.config = config;
        this.rooms = Map.copyOf(rooms);
        this.clock = clock;
        Map<String, Object> p = new HashMap<>();
        config.kafkaProperties().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "roomcast-shipper-directory");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::announce, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The directory entries of the configured sources: room -> (directory topic, source description). */
    static Map<String, Entry> entries(ShipperConfig config) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (SourceConfig s : config.sources()) {
            String what = s.stdin() ? "stdin" : s.file();
            out.merge(s.room(), new Entry(topicBeside(config.topicFor(s)), "log-shipper " + config.host() + ":" + what),
                    (a, b) -> new Entry(a.directoryTopic(), a.source() + ", " + what));
        }
        return out;
    }

    static String topicBeside(String topic) {
        int dot = topic.lastIndexOf('.');
        return (dot < 0 ? "roomcast." : topic.substring(0, dot + 1)) + "rooms";
    }

    private void announce() {
        try {
            ensureTopics();
            long now = clock.millis();
            rooms.forEach((room, e) -> {
                try {
                    byte[] value = JSON.writeValueAsBytes(Map.of("room", room, "source", e.source(), "lastActivity", now));
                    producer.send(new ProducerRecord<>(e.directoryTopic(), room, value), (md, failure) -> {
                        if (failure != null) {
                            log.atDebug().addKeyValue("room", room).addKeyValue("error", failure.toString()).log("directory entry not written");
                        }
                    });
                } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException x) {
                    log.atDebug().addKeyValue("room", room).addKeyValue("error", x.toString()).log("directory entry not written");
                }
            });
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("room directory not reachable");
        }
    }

    /** Creates the compacted directory topics as the edges would (the deployment's topic policy), if no edge did yet. */
    private void ensureTopics() {
        if (topicsEnsured) {
            return;
        }
        Map<String, Object> a = new HashMap<>();
        config.kafkaProperties().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                a.put(k, v);
            }
        });
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka());
        try (Admin admin = Admin.create(a)) {
            Set<String> topics = new java.util.TreeSet<>();
            rooms.values().forEach(e -> topics.add(e.directoryTopic()));
            topics.forEach(t -> TopicMaker.ensure(admin,
                    config.topics().specFor(SideTopic.directory(t)), Duration.ofSeconds(10)));
            topicsEnsured = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(2));
    }
}
