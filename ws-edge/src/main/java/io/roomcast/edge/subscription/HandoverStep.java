package io.roomcast.edge.subscription;

import io.roomcast.compact.AnswerCompactor;
import io.roomcast.event.RoomEvent;
import io.roomcast.position.ResumePlan;
import io.roomcast.position.ResumePlanner;

import java.util.List;

/**
 * What the {@link HandoverMachine} tells its driver to do: values, so the machine is tested by
 * comparing them. The driver carries out the frame steps ({@code Send…}, {@link Offer}) in order
 * while it holds the subscription's lock, so the sink receives them in delivery order, and every
 * other step once it has released the lock.
 */
sealed interface HandoverStep {

    /** Which piece of work waits for the sink to drain, or goes on at once. */
    enum Then { CATCH_UP, PUMP, RECAPTURE }

    /** Send the {@code subscribed} answer (regardless of the sink's limit), then report it to the owner. */
    record SendSubscribed(ResumePlan plan) implements HandoverStep {
    }

    /**
     * Send these history frames in one go (regardless of the limit: the machine sized them by the
     * free space it was given), then report how many were sent.
     */
    record SendHistory(List<AnswerCompactor.Output> frames, boolean fromCache) implements HandoverStep {
    }

    /** Send one compacted answer's held tokens, before {@code live} (regardless of the limit). */
    record SendPartial(AnswerCompactor.Partial partial) implements HandoverStep {
    }

    /** Send {@code live}: everything up to {@code offset} was history (regardless of the limit). */
    record SendLive(long offset) implements HandoverStep {
    }

    /** Send {@code dropped}: {@code count} live events in {@code [first, last]} were dropped (regardless of the limit). */
    record SendDropped(long count, long first, long last) implements HandoverStep {
    }

    /**
     * Offer {@code event} to the sink, which may refuse it when full, and feed the answer to
     * {@link HandoverMachine#offered} (with this event) at once, still under the lock. Always the last step of its list.
     */
    record Offer(RoomEvent event) implements HandoverStep {
    }

    /**
     * As {@link Offer}, for the live event the machine was just given (so the live path allocates
     * nothing): see {@link HandoverMachine#OFFER_RECEIVED}.
     */
    record OfferReceived() implements HandoverStep {
    }

    /**
     * Ask the log what {@link ResumePlanner} needs to plan the start (never beyond the hand-over
     * offset {@code handover}); feed the answer to {@link HandoverMachine#lookedUp}.
     */
    record Lookup(ResumePlanner.Lookup lookup, long handover) implements HandoverStep {
    }

    /**
     * Read up to {@code maxEvents} of the room's events in {@code [from, until)}; feed this step and the chunk to
     * {@link HandoverMachine#historyRead} (or the failure to {@link HandoverMachine#readFailed}).
     */
    record ReadHistory(long from, long until, int maxEvents) implements HandoverStep {
    }

    /** The read failed and may be tried again after {@code delayMillis}: then feed {@link HandoverMachine#resume} with CATCH_UP. */
    record RetryRead(long delayMillis) implements HandoverStep {
    }

    /** Wait until the sink has drained, then feed {@link HandoverMachine#resume} with {@code then}. */
    record WaitForSpace(Then then) implements HandoverStep {
    }

    /** Feed {@link HandoverMachine#resume} with {@code then} right away, once the steps before it are carried out. */
    record Continue(Then then) implements HandoverStep {
    }

    /**
     * Fix a new hand-over offset L for the registered listener (the live tail then calls
     * {@link HandoverMachine#handoverFixed}) and feed the new view to {@link HandoverMachine#recaptured}.
     */
    record Recapture() implements HandoverStep {
    }

    /** Leave the room's live dispatch. */
    record Unregister() implements HandoverStep {
    }

    /** Forget the cached topic descriptions: the topic may have a new id. */
    record ForgetTopics() implements HandoverStep {
    }

    /** Report: {@code count} live events were dropped for a slow client. */
    record Dropped(int count) implements HandoverStep {
    }

    /** Report: live delivery stopped because the client is slow (lossless); it catches up at its own pace. */
    record Lagging() implements HandoverStep {
    }

    /** Report: the hand-over buffer overflowed during a catch-up; history is read further. */
    record HandoverOverflowed() implements HandoverStep {
    }

    /** Report: the subscription has ended because of {@code cause}. */
    record Failed(Throwable cause) implements HandoverStep {
    }
}
