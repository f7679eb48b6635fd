package io.roomcast.producer;

import io.roomcast.producer.backend.ResilienceSettings;
import io.roomcast.producer.openai.OpenAiSettings;
import io.roomcast.producer.sim.SimSettings;
import io.roomcast.topic.TopicPolicyOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code roomcast producer}: runs a model producer until SIGTERM or Ctrl-C. Flags fall back to
 * {@code ROOMCAST_*} environment variables; the API key is read only from the environment or
 * a flag, and never printed.
 */
@Command(name = "producer", mixinStandardHelpOptions = true,
        description = "Answer prompt events in chat rooms with a model, token by token.")
public final class ProducerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kafka", defaultValue = "${env:ROOMCAST_KAFKA:-localhost:9092}", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--group", defaultValue = "${env:ROOMCAST_PRODUCER_GROUP:-roomcast-model-producer}", description = "consumer group shared by all producers (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--namespace", split = ",", defaultValue = "${env:ROOMCAST_PRODUCER_NAMESPACES:-chat}",
            description = "namespaces with generation enabled, NAME or NAME=TOPIC (default: ${DEFAULT-VALUE})")
    List<String> namespaces;

    @Option(names = "--partitions", description = "partitions of topics created when missing (default: ${DEFAULT-VALUE}, as broker-core's namespaces)")
    int partitions = ModelProducerConfig.DEFAULT_PARTITIONS;

    @Mixin
    TopicPolicyOptions topicPolicy;

    @Option(names = "--backend", defaultValue = "${env:ROOMCAST_BACKEND:-sim}", description = "sim or openai (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--base-url", defaultValue = "${env:ROOMCAST_OPENAI_BASE_URL:-http://localhost:8000/v1}",
            description = "OpenAI-compatible API root (default: ${DEFAULT-VALUE})")
    String baseUrl;

    @Option(names = "--model", defaultValue = "${env:ROOMCAST_MODEL}", description = "model name (default: sim for sim; required for openai)")
    String model;

    @Option(names = "--api-key", defaultValue = "${env:ROOMCAST_OPENAI_API_KEY}", description = "API key (default: $ROOMCAST_OPENAI_API_KEY)")
    String apiKey;

    @Option(names = "--allow-model", split = ",", description = "further models a prompt may ask for")
    Set<String> allowedModels = Set.of();

    @Option(names = "--system-prompt", defaultValue = "", description = "system message before every conversation")
    String systemPrompt;

    @Option(names = "--max-turns", defaultValue = "10", description = "earlier turns of the room sent as context (default: ${DEFAULT-VALUE})")
    int maxTurns;

    @Option(names = "--max-concurrent", defaultValue = "8", description = "generations at once in this process (default: ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--first-token-timeout", defaultValue = "PT30S", description = "ISO-8601 duration (default: ${DEFAULT-VALUE})")
    Duration firstTokenTimeout;

    @Option(names = "--token-timeout", defaultValue = "PT20S", description = "max wait between tokens, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration tokenTimeout;

    @Option(names = "--sim-seed", defaultValue = "42", description = "seed of the simulated model (default: ${DEFAULT-VALUE})")
    long simSeed;

    @Option(names = "--sim-delay-ms", defaultValue = "10-50", description = "delay range between simulated tokens, MIN-MAX ms (default: ${DEFAULT-VALUE})")
    String simDelay;

    @Option(names = "--sim-words", defaultValue = "20-80", description = "length range of simulated answers, MIN-MAX words (default: ${DEFAULT-VALUE})")
    String simWords;

    @Option(names = "--commit-interval", defaultValue = "${env:ROOMCAST_PRODUCER_COMMIT_INTERVAL:-PT0.01S}",
            description = "longest wait of a token in an open Kafka transaction before readers see it, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration commitInterval;

    @Option(names = "--kafka-property", description = "extra Kafka client setting KEY=VALUE (security, timeouts), repeatable")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--no-log-events", description = "do not publish operational log events to logs:model-producer")
    boolean noLogEvents;

    @Override
    public Integer call() throws Exception {
        ModelProducer producer = ModelProducer.start(config());
        AtomicBoolean stopRequested = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.set(true);
            producer.close();
        }, "model-producer-shutdown"));
        producer.awaitStopped();
        // stopped without a signal: the consumer hit a fatal error (logged); let a supervisor restart us
        return stopRequested.get() ? 0 : 1;
    }

    ModelProducerConfig config() {
        try {
            return buildConfig();
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private ModelProducerConfig buildConfig() {
        Map<String, String> topics = new LinkedHashMap<>();
        for (String entry : namespaces) {
            String[] parts = entry.strip().split("=", 2);
            topics.put(parts[0], parts.length == 2 ? parts[1] : ModelProducerConfig.defaultTopic(parts[0]));
        }
        ModelProducerConfig.Builder builder = ModelProducerConfig.builder(kafka)
                .groupId(group)
                .namespaceTopics(topics)
                .partitions(partitions)
                .topicPolicy(topicPolicy.policy())
                .allowedModels(allowedModels)
                .systemPrompt(systemPrompt)
                .maxTurns(maxTurns)
                .resilience(ResilienceSettings.defaults().withTimeouts(firstTokenTimeout, tokenTimeout)
                        .withBulkhead(maxConcurrent, ResilienceSettings.defaults().bulkheadMaxWait()))
                .kafkaOverrides(kafkaProperties)
                .commitInterval(commitInterval)
                .logs(ModelProducerConfig.defaultTopic("logs"), "logs:model-producer", !noLogEvents);
        switch (backend) {
            case ModelProducerConfig.SIM -> {
                long[] delay = range(simDelay, "--sim-delay-ms");
                long[] words = range(simWords, "--sim-words");
                if (words[0] < 1 || words[1] > MAX_SIM_WORDS) {
                    throw invalid("--sim-words must lie within 1-" + MAX_SIM_WORDS + ", was " + simWords);
                }
                builder.sim(new SimSettings(model == null ? SimSettings.defaults().model() : model, simSeed, Duration.ofMillis(delay[0]),
                        Duration.ofMillis(delay[1]), (int) words[0], (int) words[1]));
            }
            case ModelProducerConfig.OPENAI -> {
                if (model == null || model.isBlank()) {
                    throw invalid("--model is required with --backend openai");
                }
                OpenAiSettings defaults = OpenAiSettings.of(baseUrl, model, apiKey);
                builder.openAi(new OpenAiSettings(URI.create(baseUrl), model, apiKey, defaults.connectTimeout(), defaults.responseTimeout()));
            }
            default -> throw invalid("--backend must be sim or openai");
        }
        return builder.build();
    }

    /** A simulated answer's longest length: far beyond any answer, and within an int. */
    private static final long MAX_SIM_WORDS = 1_000_000;

    private long[] range(String text, String option) {
        try {
            String[] parts = text.split("-", 2);
            long min = Long.parseLong(parts[0].strip());
            return new long[] {min, parts.length == 2 ? Long.parseLong(parts[1].strip()) : min};
        } catch (NumberFormatException e) {
            throw invalid(option + " must be MIN-MAX, was " + text);
        }
    }

    private CommandLine.ParameterException invalid(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ProducerCommand()).execute(args));
    }
}
