package io.roomcast.topic;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicPolicyOptionsTest {
    @Command(name = "creates-topics")
    static final class CreatesTopics {
        @Mixin
        TopicPolicyOptions topicPolicy;
    }

    private static TopicPolicyOptions parse(String... args) {
        CreatesTopics command = new CreatesTopics();
        new CommandLine(command).parseArgs(args);
        return command.topicPolicy;
    }

    @Test
    void shouldLeaveReplicationToTheBrokerUnlessTold() {
        assertThat(parse().policy()).isEqualTo(TopicPolicy.brokerDefaults());
        assertThat(parse("--replication-factor", "3", "--min-insync-replicas", "2").policy()).isEqualTo(TopicPolicy.replicated());
    }

    @Test
    void shouldRefuseWhatNamesNoReplicationOrContradictsItself() {
        assertThatThrownBy(() -> parse("--replication-factor", "three")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--replication-factor");
        assertThatThrownBy(() -> parse("--replication-factor", "0").policy()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replication factor must be -1");
        assertThatThrownBy(() -> parse("--replication-factor", "1", "--min-insync-replicas", "2").policy())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would refuse every write");
    }
}
