package io.roomcast.bench.scenario;

import io.roomcast.bench.agent.LoadFleet;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.target.KafkaSink;
import io.roomcast.bench.target.PacedPublisher;
import io.roomcast.bench.target.RoomcastTarget;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code replay}: one room's M events read from {@code earliest} by one WebSocket client → events/s,
 * beside a plain KafkaConsumer reading the same partition (the ceiling). The peers keep no
 * history to replay from.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "One room's M events from earliest over the edge, beside a plain Kafka consumer of the same partition.")
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--events", defaultValue = "20000", description = "events in the room (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--timeout", defaultValue = "PT120S", description = "give up after (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--warm-replays", defaultValue = "2",
            description = "unmeasured replays of the room before the measured one, by the edge and by the plain consumer alike, "
                    + "so that neither JVM is measured while it still compiles its read path (default: ${DEFAULT-VALUE})")
    int warmReplays;

    @Override
    public Integer call() {
        try (BenchRun run = new BenchRun("replay", common, System.out)) {
            run.report.param("events", events).param("warmReplays", warmReplays);
            run.report.metrics(
                    Metric.higher("edgeEventsPerSec", "replay over the edge (WebSocket client)", "/s"),
                    Metric.lower("edgeSeconds", "replay over the edge, time", "s"),
                    Metric.higher("kafkaEventsPerSec", "plain KafkaConsumer, same partition (ceiling)", "/s"),
                    Metric.info("edgeShare", "edge replay / Kafka consumer", ""),
                    Metric.lower("edgeCpuS", "edge CPU during the replay", "s"),
                    Metric.lower("kafkaCpuS", "Kafka CPU during the replay", "s"));
            for (String system : run.systems(true)) {
                if (!system.equals("roomcast")) {
                    run.report.fillMissing(system, "n/a (no history)");
                }
            }
            run.measureEach(List.of("roomcast"), (system, t) -> measure(run, system, (RoomcastTarget) t));
            run.report.note("ws and bun keep no history; Socket.IO's recovery only replays to a client that was connected before "
                    + "(within maxDisconnectionDuration), it cannot read a room from the beginning");
            return run.finish();
        }
    }

    private void measure(BenchRun run, String system, RoomcastTarget t) {
        String room = "bench-replay";
        try (KafkaSink sink = new KafkaSink(t.bootstrap(), t.topic(), 5)) {
            for (int i = 0; i < events; i++) {
                sink.publish(room, PacedPublisher.payload(i, run.options.payloadBytes));
            }
            sink.sync();
        }
        run.log(system + ": " + events + " events written");
        for (int i = 0; i < warmReplays; i++) {
            try (LoadFleet fleet = run.fleet(1)) {
                replay(run, t, fleet, room);
            }
            kafkaConsumerRate(t, room);
        }
        try (LoadFleet fleet = run.fleet(1)) {
            CpuWindow cpu = run.window(t, fleet);
            long start = System.nanoTime();
            long got = replay(run, t, fleet, room);
            double secs = (System.nanoTime() - start) / 1e9;
            cpu.stop();
            if (got < events) {
                run.report.text(system, "edgeEventsPerSec", "incomplete: " + got + "/" + events);
            } else {
                run.report.put(system, "edgeEventsPerSec", events / secs);
            }
            run.report.put(system, "edgeSeconds", secs);
            run.report.put(system, "edgeCpuS", cpu.role("edge"));
            if (Double.isNaN(cpu.role("kafka"))) {
                run.report.text(system, "kafkaCpuS", "n/a (external broker)");
            } else {
                run.report.put(system, "kafkaCpuS", cpu.role("kafka"));
            }
        }
        double kafka = kafkaConsumerRate(t, room);
        run.report.put(system, "kafkaEventsPerSec", kafka);
        Object edge = run.report.values().get(system).get("edgeEventsPerSec");
        if (edge instanceof Double e) {
            run.report.put(system, "edgeShare", e / kafka);
        }
    }

    /** One client reads the room from the beginning; returns the events it got before the timeout. */
    private long replay(BenchRun run, RoomcastTarget t, LoadFleet fleet, String room) {
        long deadline = System.nanoTime() + timeout.toNanos();
        fleet.open(run.openCommand(t, List.of(room)).put("earliest", true), 1);
        long got;
        while ((got = fleet.stats().events()) < events && System.nanoTime() < deadline) {
            BenchRun.pause(Duration.ofMillis(5));
        }
        return got;
    }

    /** Events per second a plain consumer reads the room's events from the beginning of its partition. */
    private double kafkaConsumerRate(RoomcastTarget t, String room) {
        byte[] key = room.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, t.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int partitions = c.partitionsFor(t.topic()).size();
            TopicPartition tp = new TopicPartition(t.topic(), org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(key)) % partitions);
            long start = System.nanoTime();
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long seen = 0;
            long deadline = start + timeout.toNanos();
            while (seen < events && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (Arrays.equals(r.key(), key)) {
                        seen++;
                    }
                }
            }
            return seen / ((System.nanoTime() - start) / 1e9);
        }
    }
}
