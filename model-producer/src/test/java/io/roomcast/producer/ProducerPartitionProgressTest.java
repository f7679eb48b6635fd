package io.roomcast.producer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerPartitionProgressTest {

    @Test
    void shouldCommitOnlyUpToTheOldestOpenPrompt() {
        PartitionProgress progress = new PartitionProgress();
        assertThat(progress.commitPosition()).isEmpty();
        progress.consumed(5);
        assertThat(progress.commitPosition()).hasValue(5);
        progress.commitRequested(5);
        assertThat(progress.commitPosition()).isEmpty();
        progress.commitSucceeded(5);
        progress.dispatched(7);
        progress.consumed(8);
        progress.dispatched(9);
        progress.consumed(20);
        assertThat(progress.commitPosition()).hasValue(7);
        progress.commitRequested(7);
        progress.commitSucceeded(7);
        progress.answered(9);
        assertThat(progress.commitPosition()).isEmpty();
        progress.answered(7);
        assertThat(progress.commitPosition()).hasValue(20);
    }

    @Test
    void shouldOfferAPositionAgainWhenItsCommitFailed() {
        PartitionProgress progress = new PartitionProgress();
        progress.consumed(3);
        progress.commitRequested(3);
        progress.commitSucceeded(3);
        progress.consumed(10);
        progress.commitRequested(10);
        assertThat(progress.commitPosition()).isEmpty();
        progress.commitFailed();
        assertThat(progress.commitPosition()).hasValue(10);
    }
}
