package io.roomcast.edge.limit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    @Test
    void shouldGrantThePermitsOfAWindowAndRefuseTheRest() {
        RateLimit limit = new RateLimit(3, now::get);

        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isFalse();
        now.addAndGet(999_999_999L);
        assertThat(limit.tryAcquire()).isFalse();
    }

    @Test
    void shouldRefillAtTheNextWindowKeepingWindowsAligned() {
        RateLimit limit = new RateLimit(2, now::get);
        limit.tryAcquire();
        limit.tryAcquire();

        now.addAndGet(2_500_000_000L);
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isFalse();
        now.addAndGet(500_000_000L);
        assertThat(limit.tryAcquire()).as("a new window starts 3 s after the first, not 1 s after the refill").isTrue();
    }

    @Test
    void shouldRefuseANonPositiveRate() {
        assertThatThrownBy(() -> new RateLimit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}
