package io.roomcast.producer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.producer.backend.GuardedBackend;
import io.roomcast.producer.backend.ModelBackend;
import io.roomcast.producer.openai.OpenAiBackend;
import io.roomcast.producer.sim.SimBackend;
import io.roomcast.room.RoomName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model producer process: joins the consumer group over the generation topics and answers
 * {@code prompt} events in their rooms, token by token. Run it from the command line
 * ({@link ProducerCommand}) or in-process:
 *
 * <pre>{@code
 * try (ModelProducer producer = ModelProducer.start(ModelProducerConfig.builder("localhost:9092").build())) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Each owned prompt partition is written through its own transactional producer
 * ({@link PartitionWriter}), which fences a stalled earlier owner of the partition.
 *
 * <p>{@link #start} creates missing topics, then consumes on its own thread. {@link #close()}
 * stops within seconds: running generations are abandoned without a terminal event and their
 * prompts stay uncommitted, so the group's next owner takes them over and announces
 * {@code generation.restarted}. Thread-safe.
 */
public final class ModelProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelProducer.class);
    private static final Duration HISTORY_READ_TIMEOUT = Duration.ofSeconds(10);

    private final ModelProducerConfig config;
    private final ExecutorService workers;
    private final ExecutorService streams;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService commits;
    private final ModelBackend backend;
    private final RoomPublisher publisher;
    private final ConversationReader history;
    private final PromptLoop loop;
    private final Thread loopThread;
    private final GuardedBackend guarded;
    private final ProducerStatus status;

    private ModelProducer(ModelProducerConfig config, MeterRegistry registry) {
        this.config = config;
        ObjectMapper json = new ObjectMapper();
        this.workers = Executors.newCachedThreadPool(threads("model-producer-worker"));
        this.streams = Executors.newCachedThreadPool(threads("model-producer-stream"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("model-producer-timer"));
        // commits of open transactions, apart from the backend's timeouts: a commit waits for Kafka
        this.commits = Executors.newScheduledThreadPool(2, threads("model-producer-commit"));
        this.backend = ModelProducerConfig.OPENAI.equals(config.backend())
                ? new OpenAiBackend(config.openAi(), json, streams)
                : new SimBackend(config.sim(), streams);
        this.guarded = new GuardedBackend(backend, config.resilience(), timer);
        this.publisher = new RoomPublisher(new KafkaProducer<>(RoomPublisher.producerProperties(config.bootstrapServers(),
                config.sendTimeout(), config.kafkaOverrides())), json, config.maxInFlightSends(), config.sendTimeout());
        OperationalLog opsLog = new OperationalLog(publisher, json, config.logsTopic(), RoomName.of(config.logRoom()),
                new LogEvent.LogSource(hostName(), "model-producer", ProcessHandle.current().pid()), Clock.systemUTC(),
                registry.counter("roomcast.producer.log.events.dropped"), config.publishLogs());
        PromptParser prompts = new PromptParser(json, config.maxPromptChars(), config.maxAnswerTokens());
        int slots = config.resilience().maxConcurrentGenerations();
        this.history = new ConversationReader(() -> new KafkaConsumer<>(readerProperties()), slots, json, prompts,
                config.maxContextRecords(), 64 * 1024, HISTORY_READ_TIMEOUT, ConversationReader.CONTEXT_BYTES,
                registry.counter("roomcast.producer.context.cut")::increment);
        Duration slotWait = config.resilience().bulkheadMaxWait().compareTo(Duration.ofMillis(100)) < 0
                ? config.resilience().bulkheadMaxWait() : Duration.ofMillis(100);
        Bulkhead bulkhead = Bulkhead.of("generations", BulkheadConfig.custom()
                .maxConcurrentCalls(slots).maxWaitDuration(slotWait).build());
        GenerationMonitor monitor = new GenerationMonitor(opsLog, registry, backend.name());
        monitor.watch(guarded.circuitBreaker(), bulkhead);
        GenerationServices services = new GenerationServices(config, guarded, bulkhead, new GenerationEvents(json), prompts,
                history, monitor);
        this.loop = new PromptLoop(new KafkaConsumer<>(groupProperties()), config.namespaceTopics().values(), services, workers,
                tp -> new PartitionWriter(new KafkaProducer<>(PartitionWriter.producerProperties(config, tp)), tp, config.groupId(), json,
                        commits, config.commitInterval()));
        this.loopThread = new Thread(loop, "model-producer-consumer");
        this.status = config.publishLogs() ? new ProducerStatus(registry, publisher, json, ProducerStatus.topicBeside(config.logsTopic()),
                hostName() + ":" + ProcessHandle.current().pid(), backend.name(), Duration.ofSeconds(5), Clock.systemUTC()) : null;
    }

    /** Creates missing topics and starts consuming. */
    public static ModelProducer start(ModelProducerConfig config) {
        return start(config, new SimpleMeterRegistry());
    }

    /** As {@link #start(ModelProducerConfig)}, reporting metrics to {@code registry}. */
    public static ModelProducer start(ModelProducerConfig config, MeterRegistry registry) {
        try (Admin admin = Admin.create(adminProperties(config))) {
            Map<String, String> topics = new LinkedHashMap<>();
            config.namespaceTopics().forEach((namespace, topic) -> topics.putIfAbsent(topic, namespace));
            if (config.publishLogs()) {
                topics.putIfAbsent(config.logsTopic(), "logs");
            }
            TopicSetup.ensure(admin, topics, config.partitions(), config.topicPolicy(), Duration.ofSeconds(30));
            if (config.publishLogs()) {
                // The system room's topic, as edges create it (one partition, one day), for the status reports.
                TopicSetup.ensure(admin, Map.of(ProducerStatus.topicBeside(config.logsTopic()), "sys=retention:P1D"), 1,
                        config.topicPolicy(), Duration.ofSeconds(30));
            }
        }
        ModelProducer producer = new ModelProducer(config, registry);
        producer.loopThread.start();
        log.atInfo().addKeyValue("topics", config.namespaceTopics().values()).addKeyValue("group", config.groupId())
                .addKeyValue("backend", producer.backend.name()).addKeyValue("model", producer.backend.defaultModel())
                .log("model producer started");
        return producer;
    }

    /** Waits until this producer has been assigned its first partitions (or learned it has none). */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return loop.awaitAssignment(timeout);
    }

    /** The partitions this producer currently answers. */
    public Set<TopicPartition> assignment() {
        return loop.assignment();
    }

    /** Whether the producer is consuming; {@code false} after {@link #close()} or a fatal Kafka error. */
    public boolean isRunning() {
        return loopThread.isAlive();
    }

    /** Blocks until the producer has stopped, by {@link #close()} or by a fatal error (which is logged). */
    public void awaitStopped() throws InterruptedException {
        loopThread.join();
    }

    public ModelProducerConfig config() {
        return config;
    }

    /** The circuit breaker guarding the backend (for health checks). */
    public io.github.resilience4j.circuitbreaker.CircuitBreaker circuitBreaker() {
        return guarded.circuitBreaker();
    }

    @Override
    public void close() {
        if (status != null) {
            status.close();
        }
        loop.stop();
        try {
            loopThread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        history.close();
        publisher.close();
        backend.close();
        timer.shutdownNow();
        commits.shutdownNow();
        streams.shutdownNow();
        workers.shutdownNow();
        try {
            streams.awaitTermination(5, TimeUnit.SECONDS);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.atInfo().log("model producer stopped");
    }

    private Properties groupProperties() {
        Properties props = common(config);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a new group answers prompts from now on, not the whole retained history
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // only partitions that move are revoked: generations elsewhere keep running during a rebalance
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roomcast-model-producer");
        props.putAll(config.kafkaOverrides());
        // what subscribers see: never an aborted (zombie's) transaction, and the end offset is the last stable offset
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private Properties readerProperties() {
        Properties props = common(config);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        // a reader stops at a fixed offset, often the end of the log: a fetch parked at the broker
        // waiting for more data would delay the reader's next use by fetch.max.wait.ms (500 ms)
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roomcast-model-producer-history");
        props.putAll(config.kafkaOverrides());
        // an earlier attempt counts only as far as it was committed: what subscribers saw of it
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private static Properties common(ModelProducerConfig config) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static Properties adminProperties(ModelProducerConfig config) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.putAll(config.kafkaOverrides());
        return props;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
