package io.roomcast.edge.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.room.RoomName;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.SideTopic;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The edge's view of the room directory topic (compacted, key = room name): one thread reads it
 * from the beginning and follows it, keeping at most {@code limit} entries (the most recently
 * active; the gauge {@code roomcast.directory.rooms} counts them). {@link #touched} records that a
 * room had a publish through this edge, written at most once per {@code refresh} per room.
 *
 * <p>Threading: {@link #rooms} and {@link #touched} may be called from any thread and never block
 * (the write is asynchronous); the reader thread is the only one touching the consumer.
 */
public final class RoomDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomDirectory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final int limit;
    private final Duration refresh;
    private final Clock clock;
    private final TopicRegistry topics;
    private final Map<String, DirectoryEntry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> lastWritten = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread reader;
    /** Sends directory records off the caller's thread (a Kafka callback must never wait for metadata); bounded, excess dropped. */
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000),
            r -> {
                Thread t = new Thread(r, "roomcast-directory-writer");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
    private volatile boolean closed;

    public RoomDirectory(TopicRegistry topics, String bootstrap, Map<String, Object> clientSettings, String topic, int limit, Duration refresh,
                         Clock clock, MeterRegistry meters) {
        this.topics = topics;
        this.topic = topic;
        this.limit = limit;
        this.refresh = refresh;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>(clientSettings);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> p = new HashMap<>(clientSettings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50); // directory writes are not latency-sensitive
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Gauge.builder("roomcast.directory.rooms", entries, Map::size).description("rooms in the edge's directory view (limit " + limit + ")")
                .register(meters);
        Gauge.builder("roomcast.directory.writes.queued", writer, w -> w.getQueue().size())
                .description("directory records waiting to be sent (limit 1000; more are dropped)").register(meters);
        this.reader = new Thread(this::run, "roomcast-directory");
        reader.setDaemon(true);
        reader.start();
    }

    /** Known rooms of {@code namespace} (all when null), most recently active first, at most {@code max}. */
    public List<DirectoryEntry> rooms(String namespace, int max) {
        return entries.values().stream()
                .filter(e -> namespace == null || RoomName.of(e.room()).namespace().equals(namespace))
                .sorted(Comparator.comparingLong(DirectoryEntry::lastActivity).reversed().thenComparing(DirectoryEntry::room))
                .limit(max).toList();
    }

    /**
     * Records activity in {@code room} by {@code source}; written at most once per refresh interval per
     * room. Any thread (a publish's completion); never blocks: the write happens on the writer thread.
     */
    public void touched(RoomName room, String source) {
        long now = clock.millis();
        Long before = lastWritten.get(room.value());
        if (closed || (before != null && now - before < refresh.toMillis())) {
            return;
        }
        if (lastWritten.size() >= limit) {
            lastWritten.clear(); // bounded: forgetting only means one extra write per room
        }
        lastWritten.put(room.value(), now);
        writer.execute(() -> write(room, source, now));
    }

    private void write(RoomName room, String source, long now) {
        try {
            byte[] value = JSON.writeValueAsBytes(new DirectoryEntry(room.value(), source, now));
            producer.send(new ProducerRecord<>(topic, room.value(), value), (md, e) -> {
                if (e != null) {
                    lastWritten.remove(room.value());
                    log.atDebug().addKeyValue("room", room).addKeyValue("error", e.toString()).log("directory entry not written");
                }
            });
        } catch (Exception e) {
            lastWritten.remove(room.value());
            log.atDebug().addKeyValue("room", room).addKeyValue("error", e.toString()).log("directory entry not written");
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (!closed && partitions.isEmpty()) {
                ensureTopic();
                try {
                    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    partitions = infos == null ? List.of() : infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    pause(); // Kafka unreachable: keep trying, /rooms answers with what it has (nothing yet)
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                log.atWarn().addKeyValue("topic", topic).setCause(e).log("room directory reader stopped; /rooms shows what it had read");
            }
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            if (r.key() != null) {
                entries.remove(r.key()); // a tombstone removes the room from the directory
            }
            return;
        }
        Optional<DirectoryEntry> entry;
        try {
            JsonNode value = JSON.readTree(r.value());
            entry = DirectoryEntry.parse(r.key(), value);
        } catch (java.io.IOException e) {
            entry = Optional.empty();
        }
        entry.ifPresent(e -> {
            entries.merge(e.room(), e, (a, b) -> b.lastActivity() >= a.lastActivity() ? b : a);
            if (entries.size() > limit) {
                entries.values().stream().min(Comparator.comparingLong(DirectoryEntry::lastActivity))
                        .ifPresent(oldest -> entries.remove(oldest.room()));
            }
        });
    }

    /** Through broker-core's one topic policy (the deployment's replication), compacted: the latest entry per room. */
    private void ensureTopic() {
        try {
            topics.ensure(SideTopic.directory(topic));
        } catch (KafkaUnavailableException e) {
            log.atWarn().addKeyValue("topic", topic).addKeyValue("error", String.valueOf(e.getCause())).log("could not create the room directory topic; retrying");
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(2000); // the reader's own thread: waiting for Kafka here delays nothing else
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        writer.shutdownNow();
        producer.close(Duration.ofSeconds(2));
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The directory topic beside the default namespace's topic: {@code roomcast.events} gives {@code roomcast.rooms}. */
    public static String topicBeside(String defaultTopic) {
        int dot = defaultTopic.lastIndexOf('.');
        return (dot < 0 ? "roomcast." : defaultTopic.substring(0, dot + 1)) + "rooms";
    }

    public String topic() {
        return topic;
    }
}
