package io.roomcast.producer;

import io.roomcast.kafka.KafkaSettings;
import io.roomcast.kafka.ReservedSettings;
import io.roomcast.producer.backend.ResilienceSettings;
import io.roomcast.producer.openai.OpenAiSettings;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.room.Namespace;
import io.roomcast.room.NamespaceSpec;
import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;

import io.roomcast.topic.TopicPolicy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link ModelProducer} needs, immutable and validated once. Defaults live in
 * {@link #builder(String)}; the command line and the demo only override them.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId the consumer group all producers of a deployment share
 * @param namespaceTopics the namespaces with generation enabled and their topics ({@code chat -> roomcast.chat})
 * @param partitions partition count for topics this producer creates when they are missing
 * @param topicPolicy replication of topics this producer creates, the same for every Roomcast process
 *        (default: broker-core's namespace default, {@link #DEFAULT_PARTITIONS})
 * @param backend {@code sim} or {@code openai}
 * @param openAi the OpenAI-compatible server (required for {@code openai})
 * @param sim the simulated model
 * @param resilience time limits, retry, circuit breaker and bulkhead
 * @param allowedModels models a prompt may ask for besides the backend's default
 * @param systemPrompt a system message put before every conversation ({@code ""} = none)
 * @param maxTurns how many earlier turns of the room are sent as context
 * @param maxContextRecords how many records of a partition may be read to find them
 * @param maxPromptChars the longest prompt text accepted
 * @param maxAnswerTokens the most tokens one answer may have (finish reason {@code length})
 * @param partitionQueue prompts queued per partition before its consumption pauses
 * @param maxInFlightSends unacknowledged Kafka sends of operational events (log, status) at most
 * @param sendTimeout how long Kafka may take to accept an event
 * @param commitInterval how long a generation's events may wait in an open Kafka transaction: readers
 *                       ({@code read_committed}) see them when it commits
 * @param logsTopic topic of the operational log room
 * @param logRoom the operational log room ({@code logs:model-producer})
 * @param publishLogs whether operational log events are published
 * @param kafkaOverrides extra Kafka client settings (security, for example), applied to every client; none of
 *                       {@link ReservedSettings}
 */
public record ModelProducerConfig(
        String bootstrapServers,
        String groupId,
        Map<String, String> namespaceTopics,
        int partitions,
        TopicPolicy topicPolicy,
        String backend,
        OpenAiSettings openAi,
        SimSettings sim,
        ResilienceSettings resilience,
        Set<String> allowedModels,
        String systemPrompt,
        int maxTurns,
        int maxContextRecords,
        int maxPromptChars,
        int maxAnswerTokens,
        int partitionQueue,
        int maxInFlightSends,
        Duration sendTimeout,
        Duration commitInterval,
        String logsTopic,
        String logRoom,
        boolean publishLogs,
        Map<String, String> kafkaOverrides) {

    public static final String SIM = "sim";
    public static final String OPENAI = "openai";
    /** Partitions of a created topic unless configured: as many as broker-core gives a namespace by default. */
    /** How long tokens may wait in an open transaction by default (see docs/model-producer.md, "Fencing"). */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);
    public static final int DEFAULT_PARTITIONS = Namespaces.ofDefaults().find(Namespace.DEFAULT_NAME).orElseThrow().partitions();

    public ModelProducerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        namespaceTopics = Map.copyOf(namespaceTopics);
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(sim, "sim");
        Objects.requireNonNull(resilience, "resilience");
        allowedModels = Set.copyOf(allowedModels);
        systemPrompt = systemPrompt == null ? "" : systemPrompt;
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(logsTopic, "logsTopic");
        Objects.requireNonNull(topicPolicy, "topicPolicy");
        Objects.requireNonNull(logRoom, "logRoom");
        kafkaOverrides = Map.copyOf(kafkaOverrides);
        kafkaOverrides.forEach(KafkaSettings::check);
        KafkaSettings.checkTogether(kafkaOverrides);
        if (bootstrapServers.isBlank() || groupId.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers and group id must not be blank");
        }
        if (namespaceTopics.isEmpty()) {
            throw new IllegalArgumentException("at least one namespace must have generation enabled");
        }
        namespaceTopics.forEach((namespace, topic) -> {
            if (!namespace.matches("[A-Za-z0-9._@/-]{1,100}") || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("invalid namespace or topic: " + namespace + " -> " + topic);
            }
        });
        if (!SIM.equals(backend) && !OPENAI.equals(backend)) {
            throw new IllegalArgumentException("backend must be sim or openai, was " + backend);
        }
        if (OPENAI.equals(backend) && openAi == null) {
            throw new IllegalArgumentException("the openai backend needs a base URL and a model");
        }
        atLeast("partitions (--partitions)", partitions, 1);
        atLeast("maxTurns (--max-turns)", maxTurns, 0);
        atLeast("maxContextRecords", maxContextRecords, 1);
        atLeast("maxPromptChars", maxPromptChars, 1);
        atLeast("maxAnswerTokens", maxAnswerTokens, 1);
        atLeast("partitionQueue", partitionQueue, 1);
        atLeast("maxInFlightSends", maxInFlightSends, 1);
        if (sendTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("sendTimeout must be at least 1 s");
        }
        if (commitInterval.isNegative() || commitInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("commitInterval must be between 0 and 10 s, was " + commitInterval);
        }
        if (!RoomName.isValid(logRoom)) {
            throw new IllegalArgumentException("invalid log room: " + logRoom);
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
    }

    /** The defaults: generation in {@code chat}, simulated model, {@link #DEFAULT_PARTITIONS} partitions per created topic. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    public Builder toBuilder() {
        Builder b = new Builder(bootstrapServers);
        b.groupId = groupId;
        b.namespaceTopics = new LinkedHashMap<>(namespaceTopics);
        b.partitions = partitions;
        b.topicPolicy = topicPolicy;
        b.backend = backend;
        b.openAi = openAi;
        b.sim = sim;
        b.resilience = resilience;
        b.allowedModels = allowedModels;
        b.systemPrompt = systemPrompt;
        b.maxTurns = maxTurns;
        b.maxContextRecords = maxContextRecords;
        b.maxPromptChars = maxPromptChars;
        b.maxAnswerTokens = maxAnswerTokens;
        b.partitionQueue = partitionQueue;
        b.maxInFlightSends = maxInFlightSends;
        b.sendTimeout = sendTimeout;
        b.commitInterval = commitInterval;
        b.logsTopic = logsTopic;
        b.logRoom = logRoom;
        b.publishLogs = publishLogs;
        b.kafkaOverrides = kafkaOverrides;
        return b;
    }

    /**
     * The default topic of a namespace, as broker-core's namespaces define it: {@code chat} ->
     * {@code roomcast.chat}, {@code logs} -> {@code roomcast.logs}, any other {@code roomcast.NAMESPACE}.
     */
    public static String defaultTopic(String namespace) {
        return NamespaceSpec.parse(namespace, Namespaces.ofDefaults()).topic();
    }

    /** Builds a {@link ModelProducerConfig}; not thread-safe. */
    public static final class Builder {
        private final String bootstrapServers;
        private String groupId = "roomcast-model-producer";
        private Map<String, String> namespaceTopics = new LinkedHashMap<>(Map.of("chat", defaultTopic("chat")));
        private int partitions = DEFAULT_PARTITIONS;
        private TopicPolicy topicPolicy = TopicPolicy.brokerDefaults();
        private String backend = SIM;
        private OpenAiSettings openAi;
        private SimSettings sim = SimSettings.defaults();
        private ResilienceSettings resilience = ResilienceSettings.defaults();
        private Set<String> allowedModels = Set.of();
        private String systemPrompt = "";
        private int maxTurns = 10;
        private int maxContextRecords = 20_000;
        private int maxPromptChars = 32_000;
        private int maxAnswerTokens = 4_096;
        private int partitionQueue = 16;
        private int maxInFlightSends = 1_024;
        private Duration sendTimeout = Duration.ofSeconds(30);
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private String logsTopic = defaultTopic("logs");
        private String logRoom = "logs:model-producer";
        private boolean publishLogs = true;
        private Map<String, String> kafkaOverrides = Map.of();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        /** Replaces the namespaces with generation enabled. */
        public Builder namespaceTopics(Map<String, String> value) {
            namespaceTopics = new LinkedHashMap<>(value);
            return this;
        }

        /** Generation in exactly this namespace, on its default topic. */
        public Builder namespace(String namespace) {
            return namespaceTopics(Map.of(namespace, defaultTopic(namespace)));
        }

        public Builder partitions(int value) {
            partitions = value;
            return this;
        }

        public Builder sim(SimSettings value) {
            backend = SIM;
            sim = value;
            return this;
        }

        public Builder openAi(OpenAiSettings value) {
            backend = OPENAI;
            openAi = value;
            return this;
        }

        public Builder resilience(ResilienceSettings value) {
            resilience = value;
            return this;
        }

        public Builder allowedModels(Set<String> value) {
            allowedModels = value;
            return this;
        }

        public Builder systemPrompt(String value) {
            systemPrompt = value;
            return this;
        }

        public Builder maxTurns(int value) {
            maxTurns = value;
            return this;
        }

        public Builder maxContextRecords(int value) {
            maxContextRecords = value;
            return this;
        }

        public Builder maxPromptChars(int value) {
            maxPromptChars = value;
            return this;
        }

        public Builder maxAnswerTokens(int value) {
            maxAnswerTokens = value;
            return this;
        }

        public Builder partitionQueue(int value) {
            partitionQueue = value;
            return this;
        }

        public Builder maxInFlightSends(int value) {
            maxInFlightSends = value;
            return this;
        }

        public Builder sendTimeout(Duration value) {
            sendTimeout = value;
            return this;
        }

        public Builder commitInterval(Duration value) {
            commitInterval = value;
            return this;
        }

        public Builder logs(String topic, String room, boolean publish) {
            logsTopic = topic;
            logRoom = room;
            publishLogs = publish;
            return this;
        }

        public Builder kafkaOverrides(Map<String, String> value) {
            kafkaOverrides = value;
            return this;
        }

        public Builder topicPolicy(TopicPolicy value) {
            topicPolicy = value;
            return this;
        }

        public ModelProducerConfig build() {
            return new ModelProducerConfig(bootstrapServers, groupId, namespaceTopics, partitions, topicPolicy, backend, openAi, sim, resilience,
                    allowedModels, systemPrompt, maxTurns, maxContextRecords, maxPromptChars, maxAnswerTokens, partitionQueue,
                    maxInFlightSends, sendTimeout, commitInterval, logsTopic, logRoom, publishLogs, kafkaOverrides);
        }
    }
}
