package io.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.roomcast.client.InboundFrame.GapInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientRoomCursorTest {

    private static final String ROOM = "chat:lobby";

    @Test
    void shouldSendTheInitialFromUntilThereIsAPosition() {
        RoomCursor cursor = new RoomCursor(ROOM, From.last(10));
        assertThat(cursor.nextFrom()).isEqualTo(From.last(10));
        cursor.onSubscribed("E", true, null);
        // subscribed but nothing seen yet: resubscribing with last(10) again is still right
        assertThat(cursor.nextFrom()).isEqualTo(From.last(10));
        cursor.accept(41);
        assertThat(cursor.nextFrom()).isEqualTo(From.after(41, "E"));
    }

    @Test
    void shouldResumeFromAnAfterGivenByTheApplication() {
        RoomCursor cursor = new RoomCursor(ROOM, From.after(41, "E"));
        assertThat(cursor.position()).contains(new Position(41, "E"));
        assertThat(cursor.nextFrom()).isEqualTo(From.after(41, "E"));
        assertThat(cursor.accept(41)).isFalse();
        assertThat(cursor.accept(42)).isTrue();
    }

    /** A step of a scenario and what the cursor must answer: accepted or not, the position after it, a gap. */
    record Step(String what, long value, Boolean expectAccepted, Long expectOffset, String expectGapReason) {
        static Step event(long offset, boolean accepted, long positionAfter) {
            return new Step("event", offset, accepted, positionAfter, null);
        }

        static Step live(long offset, long positionAfter) {
            return new Step("live", offset, null, positionAfter, null);
        }

        static Step subscribed(String epoch, Boolean recovered, String gapReason, Long positionAfter) {
            return new Step("subscribed:" + epoch + ":" + recovered, 0, null, positionAfter, gapReason);
        }

        static Step subscribedWithGap(String epoch, String reason, long resumeAt, long positionAfter) {
            return new Step("gap:" + epoch + ":" + reason, resumeAt, null, positionAfter, reason);
        }
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("earliest, events, live, replay after reconnect drops duplicates", From.earliest(), List.of(
                        Step.subscribed("E", true, null, null),
                        Step.event(3, true, 3), Step.event(7, true, 7), Step.live(9, 9),
                        Step.event(12, true, 12),
                        Step.subscribed("E", true, null, 12L),
                        Step.event(7, false, 12), Step.event(12, false, 12), Step.event(13, true, 13))),
                Arguments.of("live offset is a resume position without events", From.latest(), List.of(
                        Step.subscribed("E", null, null, null), Step.live(56, 56),
                        Step.subscribed("E", true, null, 56L), Step.event(56, false, 56), Step.event(57, true, 57))),
                Arguments.of("live below the last event does not move the position back", From.earliest(), List.of(
                        Step.subscribed("E", true, null, null), Step.event(20, true, 20), Step.live(15, 20))),
                Arguments.of("empty partition: live -1 resumes from the start", From.latest(), List.of(
                        Step.subscribed("E", null, null, null), Step.live(-1, -1), Step.event(0, true, 0))),
                Arguments.of("retention gap restarts delivery at resumeAt", From.earliest(), List.of(
                        Step.subscribed("E", true, null, null), Step.event(41, true, 41),
                        Step.subscribedWithGap("E", "retention", 980, 979),
                        Step.event(979, false, 979), Step.event(980, true, 980))),
                Arguments.of("epoch gap accepts the new history's lower offsets", From.earliest(), List.of(
                        Step.subscribed("E", true, null, null), Step.event(500, true, 500),
                        Step.subscribedWithGap("E2", "epoch", 0, -1), Step.event(0, true, 0), Step.event(1, true, 1))),
                Arguments.of("recovered:true with another epoch is still reported as a gap", From.earliest(), List.of(
                        Step.subscribed("E", true, null, null), Step.event(500, true, 500),
                        Step.subscribed("E2", true, "epoch", null), Step.event(3, true, 3))),
                Arguments.of("recovered:false without gap object is reported as an unknown gap", From.earliest(), List.of(
                        Step.subscribed("E", true, null, null), Step.event(5, true, 5),
                        Step.subscribed("E", false, "unknown", null), Step.event(2, true, 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldTrackPositionDedupeAndGaps(String name, From from, List<Step> steps) {
        RoomCursor cursor = new RoomCursor(ROOM, from);
        List<String> gaps = new ArrayList<>();
        for (Step step : steps) {
            if (step.what().equals("event")) {
                assertThat(cursor.accept(step.value())).as("accept %s", step.value()).isEqualTo(step.expectAccepted());
            } else if (step.what().equals("live")) {
                cursor.onLive(step.value());
            } else if (step.what().startsWith("gap:")) {
                String[] parts = step.what().split(":");
                cursor.nextFrom();
                RoomCursor.SubscribedOutcome outcome =
                        cursor.onSubscribed(parts[1], false, new GapInfo(parts[2], 41, step.value()));
                assertThat(outcome.gap()).isNotNull();
                assertThat(outcome.subscribed().recovered()).isFalse();
                gaps.add(outcome.gap().reason());
            } else {
                String[] parts = step.what().split(":");
                Boolean recovered = parts[2].equals("null") ? null : Boolean.valueOf(parts[2]);
                cursor.nextFrom();
                RoomCursor.SubscribedOutcome outcome = cursor.onSubscribed(parts[1], recovered, null);
                if (step.expectGapReason() == null) {
                    assertThat(outcome.gap()).isNull();
                } else {
                    assertThat(outcome.gap()).isNotNull();
                    gaps.add(outcome.gap().reason());
                }
            }
            if (step.expectOffset() == null) {
                assertThat(cursor.position()).as("position after %s", step).isEmpty();
            } else {
                assertThat(cursor.position().orElseThrow().offset()).as("position after %s", step)
                        .isEqualTo(step.expectOffset());
            }
        }
        assertThat(gaps).doesNotContainNull();
    }

    @Test
    void shouldMarkAResubscriptionAsResumed() {
        RoomCursor cursor = new RoomCursor(ROOM, From.latest());
        cursor.nextFrom();
        assertThat(cursor.onSubscribed("E", null, null).subscribed().resumed()).isFalse();
        cursor.nextFrom();
        assertThat(cursor.onSubscribed("E", true, null).subscribed().resumed()).isTrue();
    }

    @Test
    void shouldCarryTheEdgesGapDetailsToTheApplication() {
        RoomCursor cursor = new RoomCursor(ROOM, From.after(41, "E"));
        cursor.nextFrom();
        Gap gap = cursor.onSubscribed("E2", false, new GapInfo("epoch", 41, 980)).gap();
        assertThat(gap).isEqualTo(new Gap(ROOM, "epoch", 41, 980, "E2"));
        assertThat(cursor.position()).contains(new Position(979, "E2"));
    }
}
