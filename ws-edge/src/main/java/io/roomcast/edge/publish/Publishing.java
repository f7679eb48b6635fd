package io.roomcast.edge.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.roomcast.edge.auth.Decision;
import io.roomcast.edge.auth.Principal;
import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.publish.PublishException;
import io.roomcast.publish.PublishLookup;
import io.roomcast.publish.Publisher;
import io.roomcast.room.RoomName;
import io.roomcast.room.UnknownNamespaceException;
import io.roomcast.topic.KafkaUnavailableException;
import io.roomcast.topic.TopicRegistry;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Publishes client events into Kafka at most once per publisher and eventId within a window, and
 * never answers "not written" while a write may still land.
 *
 * <ul>
 *   <li>A publish without an eventId is simply written.</li>
 *   <li>One with an eventId that this edge has under way, is settling or has written for the same
 *       publisher (see {@link PublisherScope}) waits for that attempt and gets its offset.</li>
 *   <li>A failed write that was handed to Kafka is answered {@code outcome_unknown} at once; this edge
 *       settles it in the background: once the producer's settle time since the attempt began has
 *       passed, it looks the event up in the room's partition. Resends wait for that.</li>
 *   <li>A publish marked {@code retry} — the client resends after a lost connection or an unknown
 *       outcome, maybe to another edge — is looked up in the room's partition over the window. When it
 *       is not there it waits until the settle time since the retry arrived has passed (the earlier
 *       attempt began before, so it has settled by then, on whichever edge it ran), reads the records
 *       written meanwhile, and only then writes.</li>
 * </ul>
 *
 * <p>Threading: {@link #admit} runs on IO threads and never blocks. {@link #publish} may block briefly
 * (topic lookup, the producer's buffer): call it from a worker thread. Every Kafka send is issued
 * from a worker thread: the caller's, or, when a publish waits for something (an earlier attempt to
 * settle, a retry's lookup on {@link PublishLookup}'s thread, the settle time on the timer thread),
 * the worker executor's, to which each such continuation moves ({@code onWorker}) before it may
 * look up a topic or send. The future {@link #publish} returns completes on the producer's I/O
 * thread after a send, otherwise on a worker, or, when the worker's queue refuses a continuation,
 * on the thread that was to hand it over (lookup, timer or producer); its callbacks must not block.
 */
public final class Publishing implements AutoCloseable {
    /** Record timestamps come from the writer's clock: a lookup by time starts this much before the attempt began. */
    private static final long CLOCK_MARGIN_MS = 5_000;

    private final Publisher publisher;
    private final TopicRegistry topics;
    private final PublishLookup lookup;
    private final RecentPublishes recent;
    private final PromptQuota prompts;
    private final PublishSettings settings;
    private final Duration window;
    private final Duration settle;
    private final Executor worker;
    private final Clock clock;
    /**
     * Publishes with an unknown outcome that may wait for their settle time at once. Beyond it one is
     * left unsettled, as when its lookup fails: a resend marked {@code retry} looks it up itself.
     */
    static final int SETTLING_LIMIT = 10_000;

    private final ScheduledThreadPoolExecutor timer;
    private final String edgeInstance = UUID.randomUUID().toString();
    private final Map<PublisherScope, Integer> retriesByPublisher = new HashMap<>();
    private int retries;
    /** Publishes with an unknown outcome waiting to settle (at most {@link #SETTLING_LIMIT}). */
    private final AtomicInteger settling = new AtomicInteger();
    private final Counter settleRefused;

    /** Where a published event stands: its offset, and whether it had been written before. */
    public record Outcome(long offset, boolean duplicate) {
    }

    /** One publish as the client asked for it, with the publisher it speaks for. */
    public record Request(RoomName room, String type, byte[] data, String eventId, boolean retry, PublisherScope publisher) {
        Request asRetry() {
            return new Request(room, type, data, eventId, true, publisher);
        }
    }

    /** An attempt whose outcome could not be settled (lookup failed or out of bounds): the next resend looks again. */
    private static final class Unsettled extends RuntimeException {
        Unsettled(Throwable cause) {
            super("not settled", cause, false, false);
        }
    }

    /** Called once, on the thread that builds the edge; {@code worker} runs every continuation that may block or send. */
    public Publishing(Publisher publisher, TopicRegistry topics, PublishLookup lookup, RecentPublishes recent, PublishSettings settings,
                      Duration window, Executor worker, Clock clock, MeterRegistry meters) {
        this.publisher = publisher;
        this.topics = topics;
        this.lookup = lookup;
        this.recent = recent;
        this.settings = settings;
        this.window = window;
        this.settle = settings.retrySettle() != null ? settings.retrySettle() : publisher.settleTime();
        this.worker = worker;
        this.clock = clock;
        this.prompts = new PromptQuota(settings, clock, meters);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "roomcast-publish-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        Gauge.builder("roomcast.publish.retries", this, Publishing::retriesUnderWay)
                .description("retries looking up or waiting for an earlier attempt (limit " + settings.retryLookupQueue() + ")")
                .register(meters);
        Gauge.builder("roomcast.publish.settling", timer, t -> t.getQueue().size())
                .description("retries and unknown outcomes waiting for their settle time").register(meters);
        Gauge.builder("roomcast.publish.unknown", settling, AtomicInteger::get)
                .description("publishes with an unknown outcome being settled (limit " + SETTLING_LIMIT + ")").register(meters);
        this.settleRefused = Counter.builder("roomcast.publish.unknown.unsettled")
                .description("publishes with an unknown outcome left to a retry's lookup: " + SETTLING_LIMIT + " were being settled")
                .register(meters);
    }

    /**
     * The checks that need no Kafka, before a publish is queued: reserved event types and the prompt
     * quota. {@code remote} is the client's address, which names an anonymous client's quota.
     * Called on the connection's IO thread; never blocks.
     */
    public Decision admit(Principal principal, String remote, RoomName room, String type) {
        if (!ReservedTypes.mayPublish(principal, type)) {
            return Decision.deny(ErrorCode.FORBIDDEN, "events of type " + type + " are published by model producers only"
                    + " (a token with the " + ReservedTypes.PRODUCER_ROLE + " role)");
        }
        if (PromptQuota.PROMPT_TYPE.equals(type)) {
            String refusal = prompts.take(room, principal != null ? "sub:" + principal.subject() : "ip:" + host(remote));
            if (refusal != null) {
                return Decision.deny(ErrorCode.RATE_LIMITED, refusal);
            }
        }
        return Decision.allow();
    }

    private static String host(String remote) {
        String r = remote == null ? "" : remote.startsWith("/") ? remote.substring(1) : remote;
        int port = r.lastIndexOf(':');
        return port > 0 ? r.substring(0, port) : r;
    }

    /** Whom a publish on connection {@code connection} speaks for (see {@link PublisherScope}). Any thread (an IO thread). */
    public PublisherScope scope(Principal principal, String publisherKey, String connection) {
        return PublisherScope.of(principal, publisherKey, edgeInstance, connection);
    }

    /**
     * Publishes; the future fails with what {@link PublishRefusal#of} turns into the error frame.
     * Worker thread; the send is issued from a worker thread, and the future completes on the
     * producer's I/O thread after a send, otherwise on a worker (see the class comment).
     */
    public CompletableFuture<Outcome> publish(Request r) {
        try {
            if (r.eventId() == null) {
                return write(r).thenApply(offset -> new Outcome(offset, false));
            }
            RecentPublishes.Key key = new RecentPublishes.Key(r.publisher(), r.room(), r.eventId());
            RecentPublishes.Attempt mine = RecentPublishes.Attempt.startingAt(clock.millis());
            RecentPublishes.Attempt earlier = recent.earlierOr(key, mine);
            if (earlier != null) {
                return onWorker(earlier.settled(), (offset, failure) -> failure == null
                        ? CompletableFuture.completedFuture(new Outcome(offset, true))
                        // Settled as not written: this is a new attempt. Not settled: only a retry may tell.
                        : publish(failure instanceof RecentPublishes.NotWritten ? r : r.asRetry()));
            }
            return r.retry() ? retry(key, mine, r) : writeOwned(key, mine, r);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Long> write(Request r) {
        try {
            return publisher.publish(r.room(), r.type(), r.data(), r.eventId(), r.eventId() == null ? null : r.publisher().value());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Writes the attempt this request owns and settles it: at once, or in the background when the outcome is unknown. */
    private CompletableFuture<Outcome> writeOwned(RecentPublishes.Key key, RecentPublishes.Attempt mine, Request r) {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        write(r).whenComplete((offset, failure) -> {
            if (failure == null) {
                mine.settled().complete(offset);
                answer.complete(new Outcome(offset, false));
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof PublishException pe && !pe.definite()) {
                settleLater(key, mine, r);
            } else {
                recent.forget(key, mine);
                mine.settled().completeExceptionally(new RecentPublishes.NotWritten());
            }
            answer.completeExceptionally(cause);
        });
        return answer;
    }

    /**
     * Settles an attempt with an unknown outcome: after the settle time since it began, looks it up.
     * Keeps what the lookup needs, not the request's data.
     */
    private void settleLater(RecentPublishes.Key key, RecentPublishes.Attempt mine, Request r) {
        if (settling.incrementAndGet() > SETTLING_LIMIT) {
            settling.decrementAndGet();
            settleRefused.increment();
            recent.forget(key, mine);
            mine.settled().completeExceptionally(new Unsettled(null));
            return;
        }
        RoomName room = r.room();
        String eventId = r.eventId();
        String by = r.publisher().value();
        long due = mine.startedMillis() + settle.toMillis() - clock.millis();
        CompletableFuture<PublishLookup.Result> found = onWorker(after(due), (v, f) -> f != null ? CompletableFuture.failedFuture(f)
                : lookup.find(partition(room), room, eventId, by, mine.startedMillis() - CLOCK_MARGIN_MS, -1, true));
        found.whenComplete((result, failure) -> {
            settling.decrementAndGet();
            if (result instanceof PublishLookup.Result.Found f) {
                mine.settled().complete(f.offset());
                return;
            }
            recent.forget(key, mine);
            mine.settled().completeExceptionally(result instanceof PublishLookup.Result.Absent
                    ? new RecentPublishes.NotWritten() : new Unsettled(failure));
        });
    }

    /** A retry this request owns: look up, wait until the earlier attempt has settled, look up what came meanwhile, then write. */
    private CompletableFuture<Outcome> retry(RecentPublishes.Key key, RecentPublishes.Attempt mine, Request r) {
        long arrival = clock.millis();
        TopicPartition partition;
        try {
            partition = partition(r.room());
        } catch (RuntimeException e) {
            return unsettled(key, mine, e);
        }
        PublishRefusal.Refused busy = startRetry(r.publisher());
        if (busy != null) {
            return unsettled(key, mine, busy);
        }
        long since = arrival - window.toMillis();
        String by = r.publisher().value();
        CompletableFuture<Outcome> answer = onWorker(lookup.find(partition, r.room(), r.eventId(), by, since, -1, false), (first, f1) -> {
            if (f1 != null) {
                return unsettled(key, mine, lookupFailed(f1));
            }
            if (!(first instanceof PublishLookup.Result.Absent absent)) {
                return settledBy(first, key, mine);
            }
            long due = arrival + settle.toMillis() - clock.millis();
            return onWorker(after(due), (v, f) -> f != null ? unsettled(key, mine, lookupFailed(f))
                    : onWorker(lookup.find(partition, r.room(), r.eventId(), by, since, absent.end(), true), (second, f2) -> {
                        if (f2 != null) {
                            return unsettled(key, mine, lookupFailed(f2));
                        }
                        return second instanceof PublishLookup.Result.Absent ? writeOwned(key, mine, r) : settledBy(second, key, mine);
                    }));
        });
        answer.whenComplete((o, f) -> finishRetry(r.publisher()));
        return answer;
    }

    private CompletableFuture<Outcome> settledBy(PublishLookup.Result result, RecentPublishes.Key key, RecentPublishes.Attempt mine) {
        if (result instanceof PublishLookup.Result.Found f) {
            mine.settled().complete(f.offset());
            return CompletableFuture.completedFuture(new Outcome(f.offset(), true));
        }
        String reason = result instanceof PublishLookup.Result.Unchecked u ? u.reason() : String.valueOf(result);
        return unsettled(key, mine, new PublishException(PublishException.Reason.OUTCOME_UNKNOWN,
                "the earlier attempt could not be checked: " + reason + "; it may have been written", null));
    }

    /** Ends an owned attempt that could not be settled; the answer fails with {@code cause}. */
    private <T> CompletableFuture<T> unsettled(RecentPublishes.Key key, RecentPublishes.Attempt mine, Throwable cause) {
        Throwable c = unwrap(cause);
        recent.forget(key, mine);
        mine.settled().completeExceptionally(new Unsettled(c));
        if (c instanceof UnknownNamespaceException) {
            return CompletableFuture.failedFuture(new PublishRefusal.Refused(ErrorCode.BAD_REQUEST, c.getMessage()));
        }
        if (c instanceof KafkaUnavailableException) {
            return CompletableFuture.failedFuture(new PublishException(PublishException.Reason.UNAVAILABLE,
                    "Kafka is unavailable; nothing was written; resend with retry", c));
        }
        return CompletableFuture.failedFuture(c);
    }

    private static Throwable lookupFailed(Throwable failure) {
        Throwable c = unwrap(failure);
        if (c instanceof RejectedExecutionException) {
            return new PublishRefusal.Refused(ErrorCode.UNAVAILABLE, "edge is overloaded; nothing was written; resend with retry later");
        }
        return new PublishException(PublishException.Reason.UNAVAILABLE,
                "could not look up the earlier attempt in Kafka; nothing was written; resend with retry", c);
    }

    private TopicPartition partition(RoomName room) {
        return topics.locate(room).partition();
    }

    private PublishRefusal.Refused startRetry(PublisherScope publisher) {
        synchronized (retriesByPublisher) {
            if (retries >= settings.retryLookupQueue()) {
                return new PublishRefusal.Refused(ErrorCode.UNAVAILABLE,
                        "too many retries under way on this edge; nothing was written; resend with retry later");
            }
            int mine = retriesByPublisher.getOrDefault(publisher, 0);
            if (mine >= settings.retryLookupsPerPublisher()) {
                return new PublishRefusal.Refused(ErrorCode.RATE_LIMITED, "at most " + settings.retryLookupsPerPublisher()
                        + " retries of one publisher may be under way; nothing was written; resend with retry later");
            }
            retriesByPublisher.put(publisher, mine + 1);
            retries++;
            return null;
        }
    }

    private void finishRetry(PublisherScope publisher) {
        synchronized (retriesByPublisher) {
            retries--;
            retriesByPublisher.computeIfPresent(publisher, (p, n) -> n > 1 ? n - 1 : null);
        }
    }

    private int retriesUnderWay() {
        synchronized (retriesByPublisher) {
            return retries;
        }
    }

    /** Completes (on the timer thread) after {@code delayMs}. */
    private CompletableFuture<Void> after(long delayMs) {
        CompletableFuture<Void> due = new CompletableFuture<>();
        if (delayMs <= 0) {
            due.complete(null);
            return due;
        }
        try {
            timer.schedule(() -> due.complete(null), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            due.completeExceptionally(e);
        }
        return due;
    }

    /**
     * Runs {@code next} on the worker once {@code source} completes (its failure unwrapped), so
     * nothing that may block runs on the producer's, the lookup's or the timer's thread. A full
     * worker queue fails the result with {@link RejectedExecutionException}.
     */
    private <T, U> CompletableFuture<U> onWorker(CompletableFuture<T> source, BiFunction<T, Throwable, CompletableFuture<U>> next) {
        CompletableFuture<U> out = new CompletableFuture<>();
        source.whenComplete((value, failure) -> {
            try {
                worker.execute(() -> {
                    try {
                        next.apply(value, failure == null ? null : unwrap(failure)).whenComplete((u, g) -> {
                            if (g == null) {
                                out.complete(u);
                            } else {
                                out.completeExceptionally(unwrap(g));
                            }
                        });
                    } catch (RuntimeException e) {
                        out.completeExceptionally(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Stops the settle timer and the lookup thread. The thread that stops the edge. */
    @Override
    public void close() {
        timer.shutdownNow();
        lookup.close();
    }
}
