package io.roomcast.shipper;

import io.roomcast.room.Namespaces;
import io.roomcast.room.RoomName;
import io.roomcast.topic.TopicPolicy;
import io.roomcast.topic.TopicSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShipperTopicLayoutTest {

    @Test
    void shouldMapTheDefaultNamespacesAsBrokerCoreDoes() {
        TopicLayout layout = TopicLayout.defaults();
        for (String room : new String[] {"logs:api", "chat:lobby", "lobby"}) {
            assertThat(layout.topicFor(room)).as(room).isEqualTo(Namespaces.ofDefaults().of(RoomName.of(room)).topic());
        }
    }

    @Test
    void shouldGiveOtherNamespacesTheirOwnTopicAndPreferOverrides() {
        TopicLayout layout = TopicLayout.of(Map.of("logs", "company.logs", "", "company.events"));

        assertThat(layout.topicFor("logs:api")).isEqualTo("company.logs");
        assertThat(layout.topicFor("lobby")).isEqualTo("company.events");
        assertThat(layout.topicFor("audit:x")).isEqualTo("roomcast.audit");
        // @ and / are allowed in namespaces but not in topic names
        assertThat(layout.topicFor("team@a/b:x")).isEqualTo("roomcast.team_a_b");
    }

    @Test
    void shouldCreateTopicsThroughBrokerCoresPolicyWithTheNamespacesShape() {
        TopicLayout layout = TopicLayout.defaults().withPolicy(TopicPolicy.replicated());

        TopicSpec logs = layout.specFor("logs:api", "roomcast.logs");
        assertThat(logs).isEqualTo(TopicPolicy.replicated().forNamespace(Namespaces.ofDefaults().find("logs").orElseThrow()));
        assertThat(layout.specFor("audit:x", "roomcast.audit").configs()).containsEntry("retention.ms", "604800000")
                .containsEntry("min.insync.replicas", "2");
    }

    @Test
    void shouldRefuseGarbageRoomsAndTopics() {
        assertThatThrownBy(() -> TopicLayout.defaults().topicFor("no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicLayout.of(Map.of("logs", "bad topic"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicLayout.of(Map.of("logs", ".."))).isInstanceOf(IllegalArgumentException.class);
    }
}
