package io.roomcast.edge.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomcast.edge.auth.Permissions;
import io.roomcast.edge.auth.Principal;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reserved event types, prompt quotas and publisher scopes: the checks of a publish that need no Kafka. */
class PublishPolicyTest {
    private static final Instant EXP = Instant.parse("2030-01-01T00:00:00Z");
    private static final Principal ALICE = new Principal("alice", EXP, Permissions.none());
    private static final Principal MODEL = new Principal("model", EXP, Permissions.none(), null, Set.of("producer"));
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @ParameterizedTest
    @ValueSource(strings = {"token", "generation.started", "generation.done", "generation.error", "generation.message", "generation.x"})
    void shouldReserveModelProducerTypes(String type) {
        assertThat(ReservedTypes.isReserved(type)).isTrue();
        assertThat(ReservedTypes.mayPublish(null, type)).isFalse();
        assertThat(ReservedTypes.mayPublish(ALICE, type)).isFalse();
        assertThat(ReservedTypes.mayPublish(MODEL, type)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "prompt", "cancel", "tokens", "generation", "generations.x", "my.token"})
    void shouldLeaveOtherTypesToEveryPublisher(String type) {
        assertThat(ReservedTypes.mayPublish(null, type)).isTrue();
    }

    @Test
    void shouldRefillPromptQuotasOverAMinuteAndBoundTheirNumber() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PromptQuota quota = new PromptQuota(PublishSettings.defaults().withPromptQuota(2, 3), clock, meters);
        RoomName a = RoomName.of("chat:a");
        assertThat(quota.take(a, "alice")).isNull();
        assertThat(quota.take(a, "bob")).isNull();
        assertThat(quota.take(a, "carol")).contains("at most 2 prompts per minute");
        assertThat(quota.take(RoomName.of("chat:b"), "alice")).isNull();
        assertThat(quota.take(RoomName.of("chat:c"), "alice")).isNull();
        assertThat(quota.take(RoomName.of("chat:d"), "alice")).contains("per user");
        now.addAndGet(Duration.ofSeconds(30).toMillis()); // half a minute: one more prompt for the room
        assertThat(quota.take(a, "dave")).isNull();
        assertThat(quota.take(a, "erin")).isNotNull();
        assertThat(meters.get("roomcast.publish.prompts.refused").counter().count()).isEqualTo(3);

        PromptQuota small = new PromptQuota(new PublishSettings(5, 5, 4, 10, 10, 10, 10, null), clock, meters);
        for (int i = 0; i < 10; i++) {
            small.take(RoomName.of("chat:r" + i), "p" + i);
        }
        assertThat(small.size()).isEqualTo(4);
    }

    @Test
    void shouldScopeEventIdsToThePublisher() {
        String key = "a-client-chosen-secret-key";
        assertThat(PublisherScope.of(ALICE, null, "e1", "c1")).isEqualTo(PublisherScope.of(ALICE, key, "e2", "c2"))
                .as("a principal is the same publisher on every connection and edge");
        assertThat(PublisherScope.of(ALICE, null, "e1", "c1")).isNotEqualTo(PublisherScope.of(MODEL, null, "e1", "c1"));
        assertThat(PublisherScope.of(null, key, "e1", "c1")).isEqualTo(PublisherScope.of(null, key, "e2", "c9"));
        assertThat(PublisherScope.of(null, null, "e1", "c1")).isNotEqualTo(PublisherScope.of(null, null, "e1", "c2"))
                .isNotEqualTo(PublisherScope.of(null, null, "e2", "c1"));
        assertThat(PublisherScope.of(null, "alice", "e1", "c1").value()).hasSize(22).doesNotContain("alice");
        assertThat(PublisherScope.isValidKey("0123456789abcdef")).isTrue();
        assertThat(PublisherScope.isValidKey("too-short")).isFalse();
        assertThat(PublisherScope.isValidKey("x".repeat(129))).isFalse();
    }

    @Test
    void shouldRefuseNonsensicalSettings() {
        assertThatThrownBy(() -> PublishSettings.defaults().withPromptQuota(0, 1)).hasMessageContaining("promptsPerMinutePerRoom");
        assertThatThrownBy(() -> PublishSettings.defaults().withRetryLookupBounds(0, 1)).hasMessageContaining("retryLookupRecords");
        assertThatThrownBy(() -> PublishSettings.defaults().withRetrySettle(Duration.ofSeconds(-1))).hasMessageContaining("retrySettle");
    }
}
