package io.roomcast.producer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerCommandTest {

    private static ModelProducerConfig parse(String... args) {
        ProducerCommand command = new ProducerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void shouldDefaultToTheSimulatedModelOnTheChatNamespace() {
        ModelProducerConfig config = parse("--kafka", "k:9092");
        assertThat(config.bootstrapServers()).isEqualTo("k:9092");
        assertThat(config.groupId()).isEqualTo("roomcast-model-producer");
        assertThat(config.namespaceTopics()).isEqualTo(Map.of("chat", "roomcast.chat"));
        assertThat(config.backend()).isEqualTo("sim");
        assertThat(config.sim().minDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(config.sim().maxDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.publishLogs()).isTrue();
        assertThat(config.partitions()).isEqualTo(4); // as broker-core's Namespaces.ofDefaults()
    }

    @Test
    void shouldConfigureTheOpenAiBackendAndEverythingElse() {
        ModelProducerConfig config = parse("--kafka", "k:1", "--backend", "openai", "--base-url", "http://gpu:8000/v1",
                "--model", "qwen", "--api-key", "sk-secret", "--namespace", "chat,help=roomcast.help-v2", "--max-turns", "3",
                "--max-concurrent", "2", "--first-token-timeout", "PT5S", "--token-timeout", "PT2S",
                "--kafka-property", "security.protocol=SSL", "--no-log-events");
        assertThat(config.backend()).isEqualTo("openai");
        assertThat(config.openAi().completionsUri()).hasToString("http://gpu:8000/v1/chat/completions");
        assertThat(config.openAi().apiKey()).isEqualTo("sk-secret");
        assertThat(config.openAi().toString()).doesNotContain("sk-secret");
        assertThat(config.namespaceTopics()).isEqualTo(Map.of("chat", "roomcast.chat", "help", "roomcast.help-v2"));
        assertThat(config.maxTurns()).isEqualTo(3);
        assertThat(config.resilience().maxConcurrentGenerations()).isEqualTo(2);
        assertThat(config.resilience().firstTokenTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SSL");
        assertThat(config.publishLogs()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--backend=gpt",
            "--backend=openai",
            "--backend=openai --model=m --base-url=ftp://x",
            "--sim-delay-ms=fast",
            "--sim-delay-ms=50-10",
            "--sim-words=0-3",
            "--sim-words=4294967297",
            "--sim-words=1-1000001",
            "--namespace=bad namespace",
            "--namespace=chat=bad:topic",
            "--max-turns=-1",
            "--max-concurrent=0",
            "--partitions=0",
            "--commit-interval=-PT1S",
            "--commit-interval=PT1M",
            "--commit-interval=soon",
            "--kafka-property=linger.ms=later",
            "--kafka-property=max.in.flight.requests.per.connection=50",
            "--kafka-property=retries=0",
    })
    void shouldRejectGarbageConfiguration(String args) {
        assertThatThrownBy(() -> parse(args.split(" "))).isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void shouldNameTheFlagOfACountOutOfRange() {
        for (String flag : new String[]{"--max-concurrent", "--partitions", "--max-turns"}) {
            assertThatThrownBy(() -> parse("--kafka", "k:9092", flag + "=-1"))
                    .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining(flag).hasMessageContaining("was -1");
        }
    }

    @Test
    void shouldRefuseKafkaSettingsThatExactlyOnceRestsOnNamingThem() {
        for (String setting : new String[]{"acks=0", "enable.idempotence=false", "transactional.id=mine", "isolation.level=read_uncommitted",
                "enable.auto.commit=true", "key.deserializer=x.Y",
                "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor"}) {
            String name = setting.substring(0, setting.indexOf('='));
            assertThatThrownBy(() -> parse("--kafka", "k:9092", "--kafka-property", setting))
                    .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("'" + name + "'");
        }
    }
}
