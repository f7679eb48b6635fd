package io.roomcast.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Test helper: reads a whole topic with a plain consumer and keeps its events by room. By default it
 * reads committed records only, as the edges do; {@code uncommitted} also shows aborted transactions.
 */
final class RoomTail implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as a subscriber sees it. */
    record Event(long offset, String type, JsonNode data) {
        String generationId() {
            return data.path("generationId").asText(null);
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<Event>> rooms = new ConcurrentHashMap<>();
    private long lastPoll = System.nanoTime() - 1_000_000_000L;

    RoomTail(String bootstrap, String topic) {
        this(bootstrap, topic, false);
    }

    RoomTail(String bootstrap, String topic, boolean uncommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, uncommitted ? "read_uncommitted" : "read_committed");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The room's events so far (after reading what is new), in offset order. */
    synchronized List<Event> events(String room) {
        // many rooms are checked in a row: read Kafka at most every 50 ms
        if (System.nanoTime() - lastPoll < 50_000_000L) {
            return List.copyOf(rooms.getOrDefault(room, List.of()));
        }
        lastPoll = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
            RoomRecord event = RoomRecord.of(record);
            rooms.computeIfAbsent(String.valueOf(event.room()), r -> new ArrayList<>())
                    .add(new Event(record.offset(), event.type(), parse(record.value())));
        }
        return List.copyOf(rooms.getOrDefault(room, List.of()));
    }

    /** The room's events of the given types. */
    List<Event> events(String room, String... types) {
        List<String> wanted = List.of(types);
        return events(room).stream().filter(e -> wanted.contains(e.type())).collect(Collectors.toList());
    }

    /** Whether the generation has ended in the room: its terminal event and its {@code generation.message} are there. */
    boolean ended(String room, String generationId) {
        List<Event> events = events(room);
        return events.stream().anyMatch(e -> EventTypes.TERMINAL.contains(e.type()) && generationId.equals(e.generationId()))
                && events.stream().anyMatch(e -> EventTypes.MESSAGE.equals(e.type()) && generationId.equals(e.generationId()));
    }

    /** The generation's {@code generation.message}. */
    Event message(String room, String generationId) {
        return events(room, EventTypes.MESSAGE).stream().filter(e -> generationId.equals(e.generationId())).findFirst().orElseThrow();
    }

    /** The answer text of a generation: its tokens after the last restart marker. */
    String answer(String room, String generationId) {
        StringBuilder text = new StringBuilder();
        for (Event event : events(room)) {
            if (!generationId.equals(event.generationId())) {
                continue;
            }
            if (EventTypes.RESTARTED.equals(event.type())) {
                text.setLength(0);
            } else if (EventTypes.TOKEN.equals(event.type())) {
                text.append(event.data().path("text").asText());
            }
        }
        return text.toString();
    }

    private static JsonNode parse(byte[] value) {
        try {
            return value == null ? JSON.nullNode() : JSON.readTree(value);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode("<not json>");
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
