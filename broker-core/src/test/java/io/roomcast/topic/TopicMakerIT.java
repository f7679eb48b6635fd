package io.roomcast.topic;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.roomcast.room.Namespace;
import io.roomcast.testkit.TestKafka;
import io.roomcast.testkit.TestNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one topic policy on a real broker: a missing topic gets its shape, an existing one of another shape a warning. */
class TopicMakerIT {

    @Test
    void shouldCreateAMissingTopicWithThePolicyAndWarnAboutAnExistingOneOfAnotherShape() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(TopicMaker.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            TopicPolicy policy = new TopicPolicy((short) 1, 1);
            Namespace fresh = new Namespace("logs", TestNames.unique("policy"), 3, Duration.ofHours(5), 10);
            TopicDescription created = TopicMaker.ensure(admin, policy.forNamespace(fresh), Duration.ofSeconds(10));
            assertThat(created.partitions()).hasSize(3);
            assertThat(appender.list).noneMatch(e -> e.getLevel() == Level.WARN);

            String other = TestNames.unique("policy");
            admin.createTopics(List.of(new NewTopic(other, 2, (short) 1))).all().get();
            TopicMaker.ensure(admin, policy.forNamespace(fresh.withTopic(other)), Duration.ofSeconds(10));

            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains(other,
                            "partitions: wanted 3, found 2", "retention.ms: wanted 18000000, found 604800000"));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
