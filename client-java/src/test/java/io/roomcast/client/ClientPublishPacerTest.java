package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientPublishPacerTest {

    @Test
    void shouldLetTheLimitGoAtOnceThenWaitForTheOldestToLeaveTheWindow() {
        PublishPacer pacer = new PublishPacer(3);
        for (long t : new long[] {0, 10, 20}) {
            assertThat(pacer.waitMillis(t)).isZero();
            pacer.sent(t);
        }
        assertThat(pacer.waitMillis(20)).isEqualTo(PublishPacer.WINDOW_MILLIS - 20);
        assertThat(pacer.waitMillis(PublishPacer.WINDOW_MILLIS - 1)).isEqualTo(1);
        assertThat(pacer.waitMillis(PublishPacer.WINDOW_MILLIS)).isZero();
        pacer.sent(PublishPacer.WINDOW_MILLIS);
        // the next oldest is the send at 10
        assertThat(pacer.waitMillis(PublishPacer.WINDOW_MILLIS)).isEqualTo(10);
    }

    @Test
    void shouldNeverLetMoreThanTheLimitIntoAnyWindow() {
        int limit = 5;
        PublishPacer pacer = new PublishPacer(limit);
        java.util.List<Long> sends = new java.util.ArrayList<>();
        long now = 0;
        while (sends.size() < 40) {
            long wait = pacer.waitMillis(now);
            if (wait == 0) {
                pacer.sent(now);
                sends.add(now);
            }
            now += 7;
        }
        for (int i = limit; i < sends.size(); i++) {
            assertThat(sends.get(i) - sends.get(i - limit)).isGreaterThanOrEqualTo(PublishPacer.WINDOW_MILLIS);
        }
    }

    @Test
    void shouldStartAfreshOnANewConnection() {
        PublishPacer pacer = new PublishPacer(1);
        pacer.sent(0);
        assertThat(pacer.waitMillis(0)).isPositive();
        pacer.reset();
        assertThat(pacer.waitMillis(0)).isZero();
    }
}
