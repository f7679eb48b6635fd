package io.roomcast.launcher;

import io.roomcast.client.RoomcastClient;
import io.roomcast.client.RoomcastException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Live load for the cluster fault tests: WebSocket publishers (one thread per client) and a plain
 * Kafka producer, each publishing round-robin into the rooms, one publish at a time at a fixed
 * pace. Records every acknowledged offset per room, every failure by code, the longest single
 * publish and the longest time without any acknowledgement (the stall a user sees).
 */
final class PublishLoad implements AutoCloseable {
    /** Longer than the edge's delivery timeout, so the edge's own answer always comes first. */
    static final long HANG_MILLIS = 30_000;

    final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    final AtomicLong attempts = new AtomicLong();
    final LongAccumulator longestPublishMillis = new LongAccumulator(Math::max, 0);
    final LongAccumulator longestStallMillis = new LongAccumulator(Math::max, 0);
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
    private final List<String> rooms;
    private final long paceMillis;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    PublishLoad(List<String> rooms, long paceMillis) {
        this.rooms = rooms;
        this.paceMillis = paceMillis;
        rooms.forEach(r -> acked.put(r, new ConcurrentSkipListSet<>()));
    }

    void startWebSocket(RoomcastClient client, String name) {
        start(name, (room, n) -> client.publish(room, Map.of("from", name, "n", n)).get(HANG_MILLIS, TimeUnit.MILLISECONDS));
    }

    void startKafka(KafkaProducer<String, String> producer, String topic, String name) {
        start(name, (room, n) -> {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, room, "{\"from\":\"" + name + "\",\"n\":" + n + "}"))
                    .get(HANG_MILLIS, TimeUnit.MILLISECONDS);
            return m.offset();
        });
    }

    private interface Publish {
        long publish(String room, long n) throws Exception;
    }

    private void start(String name, Publish publish) {
        Thread t = new Thread(() -> {
            long n = 0;
            while (running) {
                String room = rooms.get((int) (n % rooms.size()));
                long start = System.nanoTime();
                attempts.incrementAndGet();
                try {
                    long offset = publish.publish(room, n);
                    acked.get(room).add(offset);
                    long now = System.nanoTime();
                    long last = lastAckNanos.getAndSet(now);
                    longestStallMillis.accumulate(TimeUnit.NANOSECONDS.toMillis(now - last));
                } catch (ExecutionException e) {
                    failures.computeIfAbsent(name + ":" + code(e.getCause()), k -> new AtomicLong()).incrementAndGet();
                } catch (TimeoutException e) {
                    failures.computeIfAbsent(name + ":hang", k -> new AtomicLong()).incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.computeIfAbsent(name + ":" + code(e), k -> new AtomicLong()).incrementAndGet();
                }
                longestPublishMillis.accumulate(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                n++;
                try {
                    Thread.sleep(paceMillis); // pacing the load generator, not waiting for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "load-" + name);
        threads.add(t);
        t.start();
    }

    private static String code(Throwable e) {
        return e instanceof RoomcastException re ? re.code().wireName() : e.getClass().getSimpleName();
    }

    long ackedCount() {
        return acked.values().stream().mapToLong(Set::size).sum();
    }

    Map<String, Long> failureCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        failures.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Stops publishing and waits for the publishers' last calls to finish. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(HANG_MILLIS + 5_000);
        }
    }
}
