package io.roomcast.room;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespaceSpecTest {
    private final Namespaces defaults = Namespaces.ofDefaults();

    @Test
    void shouldOverrideOnlyTheKeysGiven() {
        Namespace chat = NamespaceSpec.parse("chat=partitions:8,policy:drop-oldest", defaults);
        assertThat(chat.topic()).isEqualTo("roomcast.chat");
        assertThat(chat.partitions()).isEqualTo(8);
        assertThat(chat.policy()).isEqualTo(BackpressurePolicy.DROP_OLDEST);
        assertThat(chat.retention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shouldMapEveryNamespaceToOneTopicWhetherConfiguredOrNot() {
        assertThat(defaults.orStandard("logs")).isSameAs(defaults.find("logs").orElseThrow());
        assertThat(defaults.orStandard("audit").topic()).isEqualTo("roomcast.audit");
        assertThat(defaults.orStandard("team@a/b").topic()).isEqualTo("roomcast.team_a_b");
        assertThat(NamespaceSpec.parse("team@a/b", defaults).topic()).isEqualTo("roomcast.team_a_b");
    }

    @Test
    void shouldCreateNewNamespacesWithDefaults() {
        Namespace metrics = NamespaceSpec.parse("metrics=policy:latest-only,retention:PT6H,history:10,topic:m.v1", defaults);
        assertThat(metrics).isEqualTo(new Namespace("metrics", "m.v1", 4, Duration.ofHours(6), 10, BackpressurePolicy.LATEST_ONLY));
        assertThat(NamespaceSpec.parse("games", defaults).topic()).isEqualTo("roomcast.games");
        assertThat(NamespaceSpec.parse("default=history:5", defaults).name()).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                  | empty namespace",
            "chat=partitions                     | not key:value",
            "chat=partitions:many                | must be a number",
            "chat=partitions:0                   | partitions",
            "chat=retention:7 days               | ISO-8601",
            "chat=policy:sometimes               | unknown backpressure policy",
            "chat=colour:blue                    | unknown key",
            "chat=topic:has spaces               | invalid topic",
            "bad name!=topic:x                   | invalid namespace name",
            "chat=history:-1                     | historySize",
    })
    void shouldRefuseGarbageWithAMessageNamingThePart(String spec, String message) {
        assertThatThrownBy(() -> NamespaceSpec.parse(spec, defaults)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
