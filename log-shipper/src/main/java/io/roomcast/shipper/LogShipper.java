package io.roomcast.shipper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.event.RecordLayout;
import io.roomcast.room.RoomName;
import io.roomcast.room.RoomPartitioner;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ships log files and stdin into rooms: the programmatic entry point behind
 * {@code ./roomcast shipper}, also run in-process by {@code ./roomcast demo}.
 *
 * <p><b>Delivery:</b> exactly once per record across restarts (including {@code kill -9}),
 * Kafka outages and rotations, for files; see docs/log-shipper.md for the mechanism and its
 * limits. Every record carries its input's identity and the byte position after it in headers;
 * at start-up and after any failed send the shipper reads its latest records back from each
 * room's partition and continues from exactly there. Records of one input are written in order
 * into the room's single partition.
 *
 * <p><b>Threading:</b> one thread ({@code roomcast-shipper}) does all reading and sending;
 * stdin has a reader thread of its own. {@link #start} returns at once, even while Kafka is
 * unreachable (the thread keeps trying). {@link #close} stops reading, waits briefly for records
 * in flight and releases everything; what was read but not acknowledged is shipped by the next
 * start.
 */
public final class LogShipper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
    /** How long one attempt to reach Kafka may take before it is retried (and before close() is noticed). */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(5);

    private final ShipperConfig config;
    private final ShipperMetrics metrics;
    private final List<LogSource> sources = new ArrayList<>();
    /** Keyed by source: two sources may share a room, or name the same room in different topics. */
    private final Map<LogSource, Target> targets = new HashMap<>();
    private final LogLineParser parser;
    private final PositionRecovery recovery;
    private final Thread thread;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile RecordSender sender;
    private volatile RoomAnnouncer announcer;
    /** Written and read by the shipper thread only. */
    private TopicLimits limits;
    private volatile Throwable fatal;

    /** Where a room's records go: topic and partition (as the default partitioner would pick it). */
    private record Target(RoomName room, String topic, int partition) {
        TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }
    }

    private LogShipper(ShipperConfig config, MeterRegistry registry, InputStream stdin) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new ShipperMetrics(registry);
        this.parser = new LogLineParser(Clock.systemUTC(), config.zone());
        this.recovery = new PositionRecovery(config);
        for (SourceConfig source : config.sources()) {
            sources.add(source.stdin()
                    ? new StdinSource(source, config.settings(), metrics, stdin != null ? stdin : System.in)
                    : new FileSource(source, config.settings(), metrics));
        }
        metrics.gaugeInFlight(() -> sender == null ? 0 : sender.window().records(),
                () -> sender == null ? 0 : sender.window().bytes());
        this.thread = new Thread(this::run, "roomcast-shipper");
    }

    /** Starts shipping with the process's stdin for a stdin source and a private meter registry. */
    public static LogShipper start(ShipperConfig config) {
        return start(config, new SimpleMeterRegistry(), null);
    }

    /**
     * Starts shipping.
     *
     * @param registry where the {@code roomcast.shipper.*} meters are registered
     * @param stdin    the stream a stdin source reads, or {@code null} for {@link System#in}
     */
    public static LogShipper start(ShipperConfig config, MeterRegistry registry, InputStream stdin) {
        LogShipper shipper = new LogShipper(config, registry, stdin);
        shipper.thread.start();
        return shipper;
    }

    /** Waits until the shipper has found its positions in Kafka and follows its sources. */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until every source has ended and is acknowledged, which only a stdin-only shipper
     * ever does (at the end of its input), or until the shipper stopped.
     */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error that stopped the shipper, if one did. */
    public Throwable failure() {
        return fatal;
    }

    public ShipperConfig config() {
        return config;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                log.atWarn().log("shipper thread did not stop within 30s");
            }
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            if (prepare()) {
                started.countDown();
                loop();
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
            log.atError().setCause(e).log("log shipper stopped by an unexpected error");
        } finally {
            RecordSender s = sender;
            if (s != null) {
                s.close(Duration.ofSeconds(5));
            }
            sources.forEach(LogSource::close);
            if (announcer != null) {
                announcer.close();
            }
            metrics.close();
            started.countDown();
            stopped.countDown();
            log.atInfo().log("log shipper stopped");
        }
    }

    /** Creates missing topics, finds the shipped positions and opens the inputs; retries until Kafka answers. */
    private boolean prepare() {
        while (running) {
            try (TopicAdmin admin = new TopicAdmin(config, KAFKA_TIMEOUT.toMillis())) {
                for (LogSource source : sources) {
                    RoomName room = RoomName.of(source.config().room());
                    String topic = config.topicFor(source.config());
                    int partition = RoomPartitioner.partition(room, admin.ensure(config.topics().specFor(source.config().room(), topic)));
                    targets.put(source, new Target(room, topic, partition));
                }
                limits = limits(admin);
                Map<LogSource, Set<FileIdentity>> found = new LinkedHashMap<>();
                sources.forEach(s -> found.put(s, s.discover()));
                Map<Target, Map<FileIdentity, ShippedPosition>> shipped = recoverAll(found);
                sender = new RecordSender(config, metrics, () -> LockSupport.unpark(thread), limits.batchBytes());
                long now = System.nanoTime();
                sources.forEach(s -> s.start(shipped.getOrDefault(targets.get(s), Map.of()), now));
                log.atInfo().addKeyValue("sources", config.sources().size()).addKeyValue("kafka", config.kafka())
                        .log("log shipper started");
                announcer = new RoomAnnouncer(config, RoomAnnouncer.entries(config), Clock.systemUTC());
                return true;
            } catch (ConfigException e) {
                throw new IllegalArgumentException("invalid Kafka client property: " + e.getMessage(), e);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                log.atWarn().addKeyValue("kafka", config.kafka()).addKeyValue("error", e.toString())
                        .log("cannot prepare shipping yet; retrying");
                pause(config.settings().retryBackoff());
            }
        }
        return false;
    }

    /** The shipped positions of the given inputs, per target (one read-back per room partition). */
    private Map<Target, Map<FileIdentity, ShippedPosition>> recoverAll(Map<LogSource, Set<FileIdentity>> identities)
            throws java.util.concurrent.TimeoutException {
        Map<Target, Set<FileIdentity>> byTarget = new HashMap<>();
        identities.forEach((s, ids) -> byTarget.computeIfAbsent(targets.get(s), t -> new HashSet<>()).addAll(ids));
        Map<Target, Map<FileIdentity, ShippedPosition>> result = new HashMap<>();
        for (Map.Entry<Target, Set<FileIdentity>> e : byTarget.entrySet()) {
            Target target = e.getKey();
            Map<FileIdentity, ShippedPosition> positions =
                    recovery.recover(target.topicPartition(), target.room(), e.getValue(), KAFKA_TIMEOUT, () -> running);
            log.atInfo().addKeyValue("room", target.room()).addKeyValue("inputs", e.getValue().size())
                    .addKeyValue("shipped", positions.size()).log("read shipped positions back from Kafka");
            result.put(e.getKey(), positions);
        }
        return result;
    }

    private void loop() {
        ShipperSettings settings = config.settings();
        byte[] scratch = new byte[64 * 1024];
        long nextScan = System.nanoTime() + settings.scanInterval().toNanos();
        while (running) {
            if (sender.failure() != null) {
                resync();
                continue;
            }
            long now = System.nanoTime();
            if (now - nextScan >= 0) {
                for (LogSource source : sources) {
                    source.rescan(now, sinkFor(source));
                }
                nextScan = now + settings.scanInterval().toNanos();
            }
            boolean progress = false;
            for (LogSource source : sources) {
                progress |= source.poll(now, scratch, sender.window(), sinkFor(source));
            }
            if (sources.stream().allMatch(LogSource::finished)) {
                log.atInfo().log("every source has ended");
                return;
            }
            if (!progress) {
                LockSupport.parkNanos(this, settings.pollInterval().toNanos());
            }
        }
    }

    /** After a failed send: abandon the producer, read the positions back from Kafka, reposition every input. */
    private void resync() {
        metrics.resynced();
        log.atWarn().addKeyValue("error", String.valueOf(sender.failure()))
                .log("re-synchronising with the positions stored in Kafka");
        sender.close(Duration.ofSeconds(5));
        // A request of the stopped generation still on the wire may be appended after this point, and a read-back that
        // does not see it would ship its lines again: wait until no request can still be in flight (docs/log-shipper.md).
        long settled = sender.stoppedAtNanos() + sender.settleTime().toNanos();
        pause(Duration.ofNanos(Math.max(0, settled - System.nanoTime())));
        while (running) {
            try {
                Map<LogSource, Set<FileIdentity>> identities = new LinkedHashMap<>();
                for (LogSource source : sources) {
                    Set<FileIdentity> ids = new HashSet<>();
                    source.tails().forEach(t -> ids.add(t.identity()));
                    identities.put(source, ids);
                }
                try (TopicAdmin admin = new TopicAdmin(config, KAFKA_TIMEOUT.toMillis())) {
                    limits = limits(admin); // a topic's max.message.bytes may have changed under a running shipper
                }
                Map<Target, Map<FileIdentity, ShippedPosition>> shipped = recoverAll(identities);
                sources.forEach(s -> s.resync(shipped.getOrDefault(targets.get(s), Map.of())));
                sender = new RecordSender(config, metrics, () -> LockSupport.unpark(thread), limits.batchBytes());
                log.atInfo().log("re-synchronised; shipping again");
                return;
            } catch (java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
                log.atWarn().addKeyValue("error", e.toString()).log("Kafka still unavailable; retrying");
                pause(config.settings().retryBackoff());
            }
        }
    }

    private TopicLimits limits(TopicAdmin admin) throws java.util.concurrent.TimeoutException {
        Map<String, Integer> maxMessageBytes = new HashMap<>();
        for (Target target : targets.values()) {
            if (!maxMessageBytes.containsKey(target.topic())) {
                maxMessageBytes.put(target.topic(), admin.maxMessageBytes(target.topic()));
            }
        }
        return new TopicLimits(maxMessageBytes, config.settings().maxEventBytes());
    }

    private Tail.RecordSink sinkFor(LogSource source) {
        Target target = targets.get(source);
        return new Tail.RecordSink() {
            @Override
            public void ship(Tail tail, int generation, RawRecord record, HeadFingerprint head) {
                LogShipper.this.ship(target, tail, generation, record, head);
            }

            @Override
            public int maxTextBytes(Tail tail, RawRecord first) {
                return limits.encoder(target.topic()).maxLineBytes(event(tail, first));
            }
        };
    }

    private LogRecordEvent event(Tail tail, RawRecord raw) {
        ParsedLine parsed = parser.parse(raw.text());
        return new LogRecordEvent(raw.text(), parsed.level(),
                parsed.time() == null ? null : parsed.time().toString(), parsed.logger(), parsed.thread(), raw.truncated(),
                new LogRecordEvent.Source(tail.name(), config.host(), raw.start(), raw.firstLineNo() > 0 ? raw.firstLineNo() : null));
    }

    private void ship(Target target, Tail tail, int generation, RawRecord raw, HeadFingerprint head) {
        LogRecordEvent event = event(tail, raw);
        EventEncoder.Encoded encoded = limits.encoder(target.topic()).encode(event);
        if (encoded.cut()) {
            metrics.recordCut();
            log.atWarn().addKeyValue("room", target.room()).addKeyValue("file", tail.name()).addKeyValue("offset", raw.start())
                    .log("record larger than maxEventBytes; cut");
        }
        String position = Long.toString(raw.end());
        String lineNo = raw.lastLineNo() > 0 ? Long.toString(raw.lastLineNo()) : null;
        String headText = head != null ? head.header() : null;
        RecordHeaders headers = new RecordHeaders();
        headers.add(ShipperHeaders.HOST, bytes(config.host()));
        headers.add(ShipperHeaders.SOURCE, bytes(tail.identity().key()));
        headers.add(ShipperHeaders.POSITION, bytes(position));
        if (lineNo != null) {
            headers.add(ShipperHeaders.LINE_NO, bytes(lineNo));
        }
        if (headText != null) {
            headers.add(ShipperHeaders.HEAD, bytes(headText));
        }
        if (config.positionKey() != null) {
            headers.add(ShipperHeaders.SIGNATURE, bytes(config.positionKey().sign(target.room().keyBytes(), config.host(),
                    tail.identity().key(), position, lineNo, headText)));
        }
        ProducerRecord<byte[], byte[]> record = RecordLayout.toRecord(target.topic(), target.partition(), target.room(),
                LogRecordEvent.TYPE, encoded.value(), null, headers);
        long end = raw.end();
        sender.send(record, () -> tail.acknowledged(generation, end));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void pause(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(this, until - System.nanoTime());
        }
    }
}
