package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClientBackoffTest {

    /** A "random" source that always answers its lowest or highest value. */
    private static RandomGenerator extreme(boolean high) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return high ? bound - 1 : 0;
            }
        };
    }

    @ParameterizedTest(name = "attempt {0}: {1}..{2} ms")
    @CsvSource({
            "0, 500, 1000",
            "1, 500, 2000",
            "2, 500, 4000",
            "3, 500, 8000",
            "4, 500, 16000",
            "5, 500, 30000",
            "6, 500, 30000",
            "60, 500, 30000",
            "999, 500, 30000"})
    void shouldStayBetweenFloorAndCappedCeilingWithDefaults(int attempt, long lowMs, long highMs) {
        BackoffPolicy policy = BackoffPolicy.ofDefaults();
        assertThat(policy.ceiling(attempt)).isEqualTo(Duration.ofMillis(highMs));
        assertThat(policy.delay(attempt, extreme(false))).isEqualTo(Duration.ofMillis(lowMs));
        assertThat(policy.delay(attempt, extreme(true))).isEqualTo(Duration.ofMillis(highMs));
    }

    @Test
    void shouldSpreadRealRandomDelaysOverTheWholeRangeAndNeverBelowTheFloor() {
        BackoffPolicy policy = BackoffPolicy.ofDefaults();
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long ms = policy.delay(0, random).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isGreaterThanOrEqualTo(500).isLessThan(600);
        assertThat(max).isLessThanOrEqualTo(1000).isGreaterThan(900);
    }

    @Test
    void shouldRefuseInvalidPolicies() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stableAfter");
        assertThatThrownBy(() -> BackoffPolicy.ofDefaults().ceiling(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGrowTheCeilingWithEachFailedAttempt() {
        ReconnectSchedule schedule = new ReconnectSchedule(BackoffPolicy.ofDefaults(), extreme(true));
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(schedule.nextDelay(t)).isEqualTo(Duration.ofMillis(1000));
        assertThat(schedule.nextDelay(t)).isEqualTo(Duration.ofMillis(2000));
        assertThat(schedule.nextDelay(t)).isEqualTo(Duration.ofMillis(4000));
        assertThat(schedule.attempt()).isEqualTo(3);
    }

    @ParameterizedTest(name = "open for {0} ms -> next ceiling {1} ms")
    @CsvSource({
            "0, 8000",
            "9999, 8000",
            "10000, 1000",
            "60000, 1000"})
    void shouldResetTheAttemptsOnlyAfterAStableConnection(long openMs, long expectedMs) {
        ReconnectSchedule schedule = new ReconnectSchedule(BackoffPolicy.ofDefaults(), extreme(true));
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        schedule.nextDelay(t);
        schedule.nextDelay(t);
        schedule.nextDelay(t);
        schedule.opened(t);
        assertThat(schedule.nextDelay(t.plusMillis(openMs))).isEqualTo(Duration.ofMillis(expectedMs));
    }

    @ParameterizedTest(name = "{0} ms left -> refresh in {1} ms")
    @CsvSource({"3600000, 2880000", "10000, 8000", "1200, 1000", "500, 500", "0, 0", "-5000, 0"})
    void shouldRefreshATokenAfter80PercentOfItsRemainingLife(long leftMs, long expectedMs) {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(TokenRefresh.delay(now, now.toEpochMilli() + leftMs)).isEqualTo(Duration.ofMillis(expectedMs));
    }

    @Test
    void shouldNotResetOnAFailedAttemptAfterAnEarlierStableConnection() {
        ReconnectSchedule schedule = new ReconnectSchedule(BackoffPolicy.ofDefaults(), extreme(true));
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        schedule.opened(t);
        assertThat(schedule.nextDelay(t.plusSeconds(60))).isEqualTo(Duration.ofMillis(1000));
        // the next attempts fail without opening: the ceiling grows again
        assertThat(schedule.nextDelay(t.plusSeconds(120))).isEqualTo(Duration.ofMillis(2000));
    }
}
