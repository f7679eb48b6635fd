package io.roomcast.bench.scenario;

import io.roomcast.bench.load.EpochMicros;
import io.roomcast.bench.load.JsonScan;
import io.roomcast.bench.proc.ChildProcess;
import io.roomcast.bench.report.Metric;
import io.roomcast.bench.target.KafkaSink;
import io.roomcast.bench.target.PacedPublisher;
import io.roomcast.bench.target.RoomcastTarget;
import io.roomcast.live.LiveTail;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * {@code kafka-baseline}: Kafka alone on the same broker setup Roomcast uses — producer to consumer
 * latency at the fan-out scenario's publish rate (same producer settings as the fan-out publisher,
 * the consumer set as the edge's live tail, whose thread's CPU per fetch is reported), then producer
 * and consumer throughput — so the edge's share of Roomcast's latency and CPU is visible.
 */
@Command(name = "kafka-baseline", mixinStandardHelpOptions = true,
        description = "Kafka's own producer-to-consumer latency and throughput on the same broker setup.")
public final class KafkaBaselineCommand implements Callable<Integer> {
    private static final String SYSTEM = "kafka";

    @Mixin
    CommonOptions common;

    @Option(names = "--rate", defaultValue = "100", description = "events per second in the latency phase (default: ${DEFAULT-VALUE}, as fanout)")
    int rate;

    // The consumer's fetch path runs about a hundred times a second here and reaches C2 after a minute or more (benchmarks.md).
    @Option(names = "--warmup", defaultValue = "PT90S", description = "publishing before the latency phase is recorded (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT30S", description = "latency phase (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--events", defaultValue = "200000", description = "records in the throughput phase (default: ${DEFAULT-VALUE})")
    int events;

    @Override
    public Integer call() {
        try (BenchRun run = new BenchRun("kafka-baseline", common, System.out)) {
            run.report.param("eventsPerSecond", rate).param("warmup", warmup.toString()).param("duration", duration.toString()).param("throughputEvents", events);
            run.report.metrics(Measures.latencyMetrics("latency", "producer-to-consumer"));
            run.report.metrics(
                    Metric.lower("latencyKafkaCpuS", "Kafka CPU in the latency phase", "s"),
                    Metric.lower("tailCpuUsPerFetch", "live-tail consumer thread CPU per fetch", "µs"),
                    Metric.info("tailRecordsPerFetch", "records per fetch", ""),
                    Metric.higher("producerPerSec", "producer throughput (linger 5 ms)", "/s"),
                    Metric.higher("consumerPerSec", "consumer throughput", "/s"),
                    Metric.lower("throughputKafkaCpuS", "Kafka CPU in the throughput phase", "s"));
            run.report.system(SYSTEM);
            ChildProcess kafka = null;
            try {
                String bootstrap = common.kafka;
                if (bootstrap == null) {
                    kafka = RoomcastTarget.startKafka(run.workDir(), run.logDir());
                    bootstrap = kafka.await("READY", Duration.ofSeconds(60));
                }
                for (int i = 1; i <= common.repeat; i++) {
                    measure(run, bootstrap, kafka);
                    run.report.endRun(SYSTEM);
                }
            } catch (Exception e) {
                run.report.note("kafka-baseline failed: " + e);
                run.report.fillMissing(SYSTEM, "failed");
                run.report.endRun(SYSTEM);
            } finally {
                if (kafka != null) {
                    kafka.close();
                }
            }
            run.report.note("peers have no Kafka; this scenario measures the broker under Roomcast alone");
            return run.finish();
        }
    }

    private void measure(BenchRun run, String bootstrap, ChildProcess kafka) throws Exception {
        String topic = "bench-baseline-" + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        List<TopicPartition> parts = IntStream.range(0, 4).mapToObj(p -> new TopicPartition(topic, p)).toList();
        List<String> keys = IntStream.range(0, 20).mapToObj(i -> "bench-r" + i).toList();
        // latency at a steady rate, producer settings as the fan-out publisher
        Histogram latency = new Histogram(3);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean recording = new AtomicBoolean(false);
        AtomicLong fetches = new AtomicLong();
        AtomicLong fetched = new AtomicLong();
        // Set as the edge's live tail, so that its thread's CPU per fetch is the live thread's floor.
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(LiveTail.consumerDefaults("kafka-baseline").under(bootstrap, Map.of()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                    if (recording.get() && !records.isEmpty()) {
                        fetches.incrementAndGet();
                        fetched.addAndGet(records.count());
                    }
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        byte[] v = r.value();
                        int at = JsonScan.indexOf(v, 0, v.length, JsonScan.STAMP);
                        if (at >= 0 && recording.get()) {
                            latency.recordValue(Math.max(0, EpochMicros.now() - JsonScan.number(v, at + JsonScan.STAMP.length, v.length)));
                        }
                    }
                }
            }, "baseline-consumer");
            reader.start();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double cpu0;
            long tail0;
            long tail1;
            try (KafkaSink sink = new KafkaSink(bootstrap, topic, 0); PacedPublisher pub = new PacedPublisher(sink, keys, rate, run.options.payloadBytes)) {
                BenchRun.pause(warmup);
                cpu0 = cpu(kafka);
                tail0 = threads.getThreadCpuTime(reader.getId());
                recording.set(true);
                BenchRun.pause(duration);
                recording.set(false);
                tail1 = threads.getThreadCpuTime(reader.getId());
            }
            BenchRun.pause(Duration.ofSeconds(1));
            running.set(false);
            reader.join(5_000);
            run.report.put(SYSTEM, "latencyKafkaCpuS", cpu(kafka) - cpu0);
            long n = fetches.get();
            if (n == 0) {
                run.report.text(SYSTEM, "tailCpuUsPerFetch", "n/a (no fetch returned records)");
                run.report.text(SYSTEM, "tailRecordsPerFetch", "n/a (no fetch returned records)");
            } else {
                run.report.put(SYSTEM, "tailCpuUsPerFetch", (tail1 - tail0) / 1e3 / n);
                run.report.put(SYSTEM, "tailRecordsPerFetch", (double) fetched.get() / n);
            }
        }
        Measures.latency(run.report, SYSTEM, "latency", latency);
        // throughput
        double cpu1 = cpu(kafka);
        long start = System.nanoTime();
        try (KafkaSink sink = new KafkaSink(bootstrap, topic, 5)) {
            for (int i = 0; i < events; i++) {
                sink.publish(keys.get(i % keys.size()), PacedPublisher.payload(i, run.options.payloadBytes));
            }
            sink.sync();
        }
        run.report.put(SYSTEM, "producerPerSec", events / ((System.nanoTime() - start) / 1e9));
        AtomicLong seen = new AtomicLong();
        start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap)) {
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = start + Duration.ofSeconds(120).toNanos();
            while (seen.get() < events && System.nanoTime() < deadline) {
                seen.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
            }
        }
        run.report.put(SYSTEM, "consumerPerSec", seen.get() / ((System.nanoTime() - start) / 1e9));
        run.report.put(SYSTEM, "throughputKafkaCpuS", cpu(kafka) - cpu1);
    }

    private static double cpu(ChildProcess kafka) {
        return kafka == null ? Double.NaN : kafka.cpuSeconds();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
