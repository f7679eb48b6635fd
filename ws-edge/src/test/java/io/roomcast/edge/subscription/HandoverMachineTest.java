package io.roomcast.edge.subscription;

import io.roomcast.edge.subscription.HandoverStep.Continue;
import io.roomcast.edge.subscription.HandoverStep.Dropped;
import io.roomcast.edge.subscription.HandoverStep.Failed;
import io.roomcast.edge.subscription.HandoverStep.ForgetTopics;
import io.roomcast.edge.subscription.HandoverStep.HandoverOverflowed;
import io.roomcast.edge.subscription.HandoverStep.Lagging;
import io.roomcast.edge.subscription.HandoverStep.Lookup;
import io.roomcast.edge.subscription.HandoverStep.Offer;
import io.roomcast.edge.subscription.HandoverStep.OfferReceived;
import io.roomcast.edge.subscription.HandoverStep.ReadHistory;
import io.roomcast.edge.subscription.HandoverStep.Recapture;
import io.roomcast.edge.subscription.HandoverStep.RetryRead;
import io.roomcast.edge.subscription.HandoverStep.SendDropped;
import io.roomcast.edge.subscription.HandoverStep.SendHistory;
import io.roomcast.edge.subscription.HandoverStep.SendLive;
import io.roomcast.edge.subscription.HandoverStep.SendPartial;
import io.roomcast.edge.subscription.HandoverStep.SendSubscribed;
import io.roomcast.edge.subscription.HandoverStep.Then;
import io.roomcast.edge.subscription.HandoverStep.Unregister;
import io.roomcast.edge.subscription.HandoverStep.WaitForSpace;
import io.roomcast.compact.AnswerBudget;
import io.roomcast.compact.AnswerCompactor;
import io.roomcast.event.RoomEvent;
import io.roomcast.history.HistoryChunk;
import io.roomcast.live.Handover;
import io.roomcast.live.LivePositionLostException;
import io.roomcast.position.Epoch;
import io.roomcast.position.Gap;
import io.roomcast.position.ResumePlan;
import io.roomcast.position.ResumePlanner;
import io.roomcast.position.StartPoint;
import io.roomcast.room.BackpressurePolicy;
import io.roomcast.room.RoomName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-over as a table: each case is a machine and a sequence of inputs, each with the steps
 * it must produce (in the manner of centrifuge's {@code internal/recovery} tests). No threads, no
 * Kafka, no sink: the sink's answers to offers and its drains are inputs like any other.
 */
class HandoverMachineTest {
    private static final RoomName ROOM = RoomName.of("chat:x");
    private static final Epoch EPOCH = new Epoch("e1");
    private static final int BUFFER = 3;
    private static final int CHUNK = 50;
    private static final int ATTEMPTS = 2;
    private static final int WINDOW = 2;

    /** One input and the steps it must produce. */
    record Row(String input, Function<HandoverMachine, List<HandoverStep>> apply, List<HandoverStep> expected) {
        Row expect(HandoverStep... steps) {
            return new Row(input, apply, List.of(steps));
        }

        @Override
        public String toString() {
            return input;
        }
    }

    record Case(String name, StartPoint from, BackpressurePolicy policy, List<Row> rows) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldProduceTheExpectedSteps(Case c) {
        HandoverMachine m = new HandoverMachine(c.from(), EPOCH, c.policy(), BUFFER, CHUNK, ATTEMPTS, WINDOW);
        int i = 0;
        for (Row row : c.rows()) {
            List<HandoverStep> actual = row.apply().apply(m);
            assertThat(comparable(actual)).as("input %d: %s", i++, row.input()).isEqualTo(comparable(row.expected()));
        }
    }

    @Test
    void shouldGiveTheAnswerBudgetBackWhenACompactedCatchUpEndsBeforeLive() {
        AnswerBudget budget = new AnswerBudget(1000);
        HandoverMachine m = new HandoverMachine(new StartPoint.After(0, EPOCH), EPOCH, BackpressurePolicy.LOSSLESS, BUFFER, CHUNK,
                ATTEMPTS, WINDOW);
        m.compact(new AnswerCompactor(4, 1000, budget));
        m.handoverFixed(10);
        m.registered(new Handover(10, List.of(token(1, 0, "Hel"), ev(2), token(3, 1, "lo")), 0));
        m.resume(Then.CATCH_UP, 1); // room for one frame: the held token and the next event, then a wait
        assertThat(budget.held()).isEqualTo(3);
        assertThat(m.close()).containsExactly(new Unregister());
        assertThat(budget.held()).isZero();
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("history from the cache, then buffered live events de-duplicated by offset, then live",
                        new StartPoint.After(4, EPOCH), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        live(10), live(10), live(11), // 10 twice: the buffer yields it once
                        registered(10, 0, 2, 5, 7, 9).expect(new SendSubscribed(ResumePlan.complete(5)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(history(true, 5, 7, 9), new SendLive(9), new Offer(ev(10))),
                        offered(10, true).expect(new Offer(ev(11))),
                        offered(11, true).expect(),
                        live(11).expect(), // already delivered
                        live(12).expect(new OfferReceived()),
                        offered(12, true).expect())),

                new Case("history from the cache in rounds sized by the sink's free space",
                        new StartPoint.After(1, EPOCH), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 0, 2, 3, 4, 5).expect(new SendSubscribed(ResumePlan.complete(2)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 0).expect(new WaitForSpace(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 2).expect(history(true, 2, 3), new WaitForSpace(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 2).expect(history(true, 4, 5), new SendLive(9)))),

                new Case("history read from the log in chunks, then live",
                        new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 10).expect(new Lookup(new ResumePlanner.Lookup.LogStart(), 10)),
                        lookedUp(0).expect(new SendSubscribed(ResumePlan.complete(0)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(0, 10, CHUNK)),
                        live(10),
                        chunk(read(0, 10), 5, 100, 1, 3).expect(history(false, 1, 3), new ReadHistory(5, 10, CHUNK)),
                        chunk(read(5, 10), 10, 100, 8).expect(history(false, 8), new SendLive(9), new Offer(ev(10))),
                        offered(10, true).expect())),

                new Case("the next chunk is read while the sink drains; one wait for space at a time; a stale answer is ignored",
                        new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(100),
                        registered(100, 100).expect(new Lookup(new ResumePlanner.Lookup.LogStart(), 100)),
                        lookedUp(0).expect(new SendSubscribed(ResumePlan.complete(0)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 2).expect(new ReadHistory(0, 100, CHUNK)),
                        chunk(read(0, 100), 6, 2, 1, 2).expect(history(false, 1, 2), new ReadHistory(6, 100, CHUNK),
                                new WaitForSpace(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 0).expect(new WaitForSpace(Then.CATCH_UP)), // the read is still out: no second one
                        chunk(read(0, 100), 6, 5, 1, 2).expect(), // not the read in flight
                        chunk(read(6, 100), 100, 0, 7, 8).expect(), // the wait is out already
                        resume(Then.CATCH_UP, 1).expect(history(false, 7), new WaitForSpace(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 5).expect(history(false, 8), new SendLive(99)))),

                new Case("the hand-over buffer overflows during the catch-up: a new L is fixed and history read up to it",
                        new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 10).expect(new Lookup(new ResumePlanner.Lookup.LogStart(), 10)),
                        lookedUp(0).expect(new SendSubscribed(ResumePlan.complete(0)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(0, 10, CHUNK)),
                        live(10), live(11), live(12), live(13), // a buffer of 3 overflows
                        chunk(read(0, 10), 10, 100, 3, 8).expect(history(false, 3, 8), new HandoverOverflowed(), new Recapture()),
                        fixed(14),
                        live(14),
                        recaptured(14, 10, 100, 10, 11, 12, 13).expect(history(true, 10, 11, 12, 13), new SendLive(13), new Offer(ev(14))),
                        offered(14, true).expect())),

                new Case("lossless: the sink is full, the subscriber falls behind and catches up without a gap",
                        new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 0).expect(new SendSubscribed(ResumePlan.live(10)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 5).expect(new SendLive(9)),
                        live(10).expect(new OfferReceived()),
                        offered(10, true).expect(),
                        live(11).expect(new OfferReceived()),
                        offered(11, false).expect(new Lagging(), new WaitForSpace(Then.RECAPTURE)),
                        live(12).expect(), // not delivered now: read again from the cache or the log
                        resume(Then.RECAPTURE, 5).expect(new Recapture()),
                        fixed(13),
                        recaptured(13, 5, 1, 10, 11, 12).expect(history(true, 11), new WaitForSpace(Then.CATCH_UP)),
                        live(13),
                        resume(Then.CATCH_UP, 5).expect(history(true, 12), new Offer(ev(13))), // no second live frame
                        offered(13, true).expect(),
                        live(14).expect(new OfferReceived()))),

                new Case("lossless: a buffered event the sink refuses at the switch makes the subscriber fall behind",
                        new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 0).expect(new SendSubscribed(ResumePlan.live(10)), new Continue(Then.CATCH_UP)),
                        live(10), live(11),
                        resume(Then.CATCH_UP, 5).expect(new SendLive(9), new Offer(ev(10))),
                        offered(10, false).expect(new Lagging(), new WaitForSpace(Then.RECAPTURE)),
                        resume(Then.RECAPTURE, 5).expect(new Recapture()),
                        fixed(12),
                        recaptured(12, 0, 5, 10, 11).expect(history(true, 10, 11)))),

                new Case("drop-oldest: live events wait in the window, the oldest is dropped and reported before the next",
                        new StartPoint.Latest(), BackpressurePolicy.DROP_OLDEST, List.of(
                        fixed(10),
                        registered(10, 0).expect(new SendSubscribed(ResumePlan.live(10)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 5).expect(new SendLive(9)),
                        live(10).expect(new OfferReceived()),
                        offered(10, false).expect(new WaitForSpace(Then.PUMP)),
                        live(11).expect(),
                        live(12).expect(new Dropped(1)),
                        resume(Then.PUMP, 5).expect(new SendDropped(1, 10, 10), new Offer(ev(11))),
                        offered(11, true).expect(new Offer(ev(12))),
                        offered(12, false).expect(new WaitForSpace(Then.PUMP)),
                        resume(Then.PUMP, 5).expect(new Offer(ev(12))),
                        offered(12, true).expect(),
                        live(13).expect(new OfferReceived()))),

                new Case("latest-only: buffered events refused at the switch keep only the newest",
                        new StartPoint.Latest(), BackpressurePolicy.LATEST_ONLY, List.of(
                        fixed(10),
                        registered(10, 0).expect(new SendSubscribed(ResumePlan.live(10)), new Continue(Then.CATCH_UP)),
                        live(10), live(11), live(12),
                        resume(Then.CATCH_UP, 5).expect(new SendLive(9), new Offer(ev(10))),
                        offered(10, false).expect(new WaitForSpace(Then.PUMP), new Dropped(1), new Dropped(1)),
                        live(13).expect(new Dropped(1)),
                        resume(Then.PUMP, 5).expect(new SendDropped(3, 10, 12), new Offer(ev(13))),
                        offered(13, true).expect())),

                new Case("live lost: the subscription ends, the topic cache is forgotten, nothing more goes out",
                        new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 0).expect(new SendSubscribed(ResumePlan.live(10)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 5).expect(new SendLive(9)),
                        row("liveLost", m -> m.liveLost("gone")).expect(new ForgetTopics(), new Failed(new LivePositionLostException("gone"))),
                        live(10).expect(),
                        row("close", HandoverMachine::close).expect())),

                new Case("closed during a history read: the late chunk and events are ignored",
                        new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 10).expect(new Lookup(new ResumePlanner.Lookup.LogStart(), 10)),
                        lookedUp(0).expect(new SendSubscribed(ResumePlan.complete(0)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(0, 10, CHUNK)),
                        row("close", HandoverMachine::close).expect(new Unregister()),
                        chunk(read(0, 10), 10, 100, 1, 2).expect(),
                        resume(Then.CATCH_UP, 100).expect(),
                        live(10).expect(),
                        row("close again", HandoverMachine::close).expect())),

                new Case("closed while registering: the registration is undone",
                        new StartPoint.Latest(), BackpressurePolicy.LOSSLESS, List.of(
                        row("close", HandoverMachine::close).expect(new Unregister()),
                        fixed(10),
                        registered(10, 0).expect(new Unregister()))),

                new Case("history reads fail: retried with a growing delay, then the subscription fails",
                        new StartPoint.Earliest(), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 10).expect(new Lookup(new ResumePlanner.Lookup.LogStart(), 10)),
                        lookedUp(0).expect(new SendSubscribed(ResumePlan.complete(0)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(0, 10, CHUNK)),
                        readFailed(read(0, 10)).expect(new RetryRead(500)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(0, 10, CHUNK)),
                        readFailed(read(0, 10)).expect(new RetryRead(1000)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(0, 10, CHUNK)),
                        readFailed(read(0, 10)).expect(new Unregister(), new Failed(new IOException("unreachable"))))),

                new Case("a resume from another epoch starts at the log start with a gap",
                        new StartPoint.After(7, new Epoch("old")), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 0, 8, 9).expect(new Lookup(new ResumePlanner.Lookup.LogStart(), 10)),
                        lookedUp(8).expect(new SendSubscribed(ResumePlan.gap(new Gap(Gap.Reason.EPOCH, 7, 8))), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(history(true, 8, 9), new SendLive(9)))),

                new Case("from a time: the room's older events after the log's answer are skipped, in the first catch-up only",
                        new StartPoint.Time(5_000), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        registered(10, 10).expect(new Lookup(new ResumePlanner.Lookup.OffsetForTime(5_000), 10)),
                        lookedUp(2).expect(new SendSubscribed(ResumePlan.complete(2)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new ReadHistory(2, 10, CHUNK)),
                        chunk(read(2, 10), 10, 100, 2, 4, 6, 7).expect(history(false, 6, 7), new SendLive(9)))),

                new Case("a resume after an offset beyond L that the log holds (another edge delivered it): exact, live events up to it skipped",
                        new StartPoint.After(12, EPOCH), BackpressurePolicy.LOSSLESS, List.of(
                        fixed(10),
                        live(12), live(13),
                        registered(10, 10).expect(new Lookup(new ResumePlanner.Lookup.LogEnd(), 10)),
                        lookedUp(14).expect(new SendSubscribed(ResumePlan.complete(13)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new SendLive(12), new Offer(ev(13))),
                        offered(13, true).expect(),
                        live(11).expect())),

                new Case("compacted: held tokens go out as a partial just before live",
                        new StartPoint.After(0, EPOCH), BackpressurePolicy.LOSSLESS, List.of(
                        row("compact", m -> {
                            m.compact(new AnswerCompactor(4, 1000, new AnswerBudget(1000)));
                            return List.of();
                        }).expect(),
                        fixed(10),
                        row("registered(L=10, cache: token, message, token)", m -> m.registered(new Handover(10,
                                List.of(token(1, 0, "Hel"), ev(2), token(3, 1, "lo")), 0)))
                                .expect(new SendSubscribed(ResumePlan.complete(1)), new Continue(Then.CATCH_UP)),
                        resume(Then.CATCH_UP, 100).expect(new SendHistory(List.of(new AnswerCompactor.Pass(ev(2))), true),
                                new SendPartial(new AnswerCompactor.Partial("g", 0, 1, 3, "Hello")), new SendLive(9))))
        );
    }

    // --- inputs ---

    /** An input row whose expected steps are set with {@link Row#expect}: a fluent table. */
    private static Row row(String input, Function<HandoverMachine, List<HandoverStep>> apply) {
        return new Row(input, apply, HandoverMachine.NONE);
    }

    private static Row fixed(long l) {
        return row("handoverFixed(" + l + ")", m -> {
            m.handoverFixed(l);
            return List.of();
        });
    }

    private static Row registered(long l, long coversFrom, long... cached) {
        return row("registered(L=" + l + ", cache from " + coversFrom + ": " + Arrays.toString(cached) + ")",
                m -> m.registered(view(l, coversFrom, cached)));
    }

    private static Row recaptured(long l, long coversFrom, int free, long... cached) {
        return row("recaptured(L=" + l + ", free " + free + ")", m -> m.recaptured(view(l, coversFrom, cached), free));
    }

    private static Row lookedUp(long answer) {
        return row("lookedUp(" + answer + ")", m -> m.lookedUp(answer));
    }

    private static Row resume(Then then, int free) {
        return row("resume(" + then + ", free " + free + ")", m -> m.resume(then, free));
    }

    private static Row live(long offset) {
        return row("live(" + offset + ")", m -> m.live(ev(offset)));
    }

    private static Row offered(long offset, boolean accepted) {
        return row("offered(" + offset + ", " + accepted + ")", m -> m.offered(ev(offset), accepted));
    }

    private static ReadHistory read(long from, long until) {
        return new ReadHistory(from, until, CHUNK);
    }

    private static Row chunk(ReadHistory read, long next, int free, long... offsets) {
        return row("historyRead(" + read + ": " + Arrays.toString(offsets) + ", next " + next + ")",
                m -> m.historyRead(read, new HistoryChunk(events(offsets), next), free));
    }

    private static Row readFailed(ReadHistory read) {
        return row("readFailed(" + read + ")", m -> m.readFailed(read, new IOException("unreachable")));
    }

    // --- values ---

    /** Event {@code offset} of the room, at time {@code offset * 1000} ms. */
    private static RoomEvent ev(long offset) {
        return new RoomEvent(ROOM, offset, null, offset * 1000, new byte[]{(byte) offset}, null);
    }

    private static RoomEvent token(long offset, int seq, String text) {
        byte[] data = ("{\"generationId\":\"g\",\"seq\":" + seq + ",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        return new RoomEvent(ROOM, offset, AnswerCompactor.TOKEN, offset * 1000, data, null);
    }

    private static List<RoomEvent> events(long... offsets) {
        return Arrays.stream(offsets).mapToObj(HandoverMachineTest::ev).toList();
    }

    private static Handover view(long l, long coversFrom, long... cached) {
        return new Handover(l, events(cached), coversFrom);
    }

    private static SendHistory history(boolean fromCache, long... offsets) {
        List<AnswerCompactor.Output> frames = new ArrayList<>();
        for (long o : offsets) {
            frames.add(new AnswerCompactor.Pass(ev(o)));
        }
        return new SendHistory(frames, fromCache);
    }

    /** Failures compare by their type and message; everything else by value. */
    private static List<Object> comparable(List<HandoverStep> steps) {
        return steps.stream().map(s -> s instanceof Failed f ? f.cause().getClass().getName() + ": " + f.cause().getMessage() : (Object) s)
                .toList();
    }
}
