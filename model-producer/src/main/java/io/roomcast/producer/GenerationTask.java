package io.roomcast.producer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.producer.backend.ChatMessage;
import io.roomcast.producer.backend.GenerationRequest;
import io.roomcast.producer.backend.OpenedStream;
import io.roomcast.producer.backend.StreamChunk;
import io.roomcast.producer.backend.StreamHandle;
import io.roomcast.producer.backend.TokenStream;
import io.roomcast.producer.backend.Usage;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Answers one prompt: checks the room's log for an earlier attempt (after a takeover), rebuilds
 * the conversation, takes a bulkhead slot, streams the model's answer into the room as
 * {@code generation.started} (or {@code generation.restarted}), {@code token}s numbered from 0,
 * and exactly one terminal event, which it waits to see acknowledged by Kafka, followed by
 * {@code generation.message}: the assembled answer, which compacting readers show instead of the tokens.
 *
 * <p>{@link #call()} runs on the partition's worker thread; {@link #cancel()} and
 * {@link #abandon()} may be called from any thread and take effect within one token interval:
 * they close the backend stream and wake the worker wherever it waits. A cancel ends the
 * generation with {@code generation.cancelled}; abandoning (partition revoked, producer closing)
 * publishes nothing more, leaving the prompt to the next owner, which restarts it.
 *
 * <p>Every event goes through the partition's {@link PartitionWriter}: in Kafka transactions, the
 * terminal event committed together with the prompt's offset. A writer fenced by a newer owner of
 * the partition ends the task as abandoned: the zombie writes nothing more.
 */
final class GenerationTask {
    private static final Logger log = LoggerFactory.getLogger(GenerationTask.class);
    private static final long MAX_PUBLISH_BACKOFF_MS = 5_000;

    /** Whether the prompt's offset may be committed after the task. */
    enum Outcome { ANSWERED, ABANDONED }

    private enum Abort { CANCEL, ABANDON }

    private final GenerationServices services;
    private final PartitionWriter writer;
    private final long abortedAtStart;
    private final RoomRecord prompt;
    private final LongSupplier replayEnd;
    private final GenerationId id;
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    private final CompletableFuture<Void> aborted = new CompletableFuture<>();
    private final StreamHandle handle = new StreamHandle();
    private final AtomicReference<Throwable> publishFailure = new AtomicReference<>();
    private long startNanos;
    /** This attempt's tokens so far, for {@code generation.message}; bounded by {@code maxAnswerTokens}. */
    private final List<SentToken> sentTokens = new ArrayList<>();

    /**
     * @param replayEnd the partition's committed end once this process took its transactional id over
     *                  ({@link PartitionWorker#replayEnd}): a prompt below it may already have been (partly)
     *                  answered by a previous owner; read when the task runs, after the take-over
     */
    GenerationTask(GenerationServices services, PartitionWriter writer, RoomRecord prompt, LongSupplier replayEnd) {
        this.services = services;
        this.writer = writer;
        this.abortedAtStart = writer.abortedTransactions();
        this.prompt = prompt;
        this.replayEnd = replayEnd;
        this.id = prompt.generationId();
    }

    GenerationId id() {
        return id;
    }

    RoomRecord prompt() {
        return prompt;
    }

    void cancel() {
        if (abort.compareAndSet(null, Abort.CANCEL)) {
            wake();
        }
    }

    void abandon() {
        abort.set(Abort.ABANDON);
        wake();
    }

    private void wake() {
        handle.close();
        aborted.complete(null);
    }

    Outcome call() throws InterruptedException {
        startNanos = System.nanoTime();
        try {
            return answer();
        } catch (RuntimeException e) {
            log.atError().setCause(e).addKeyValue("generationId", id).log("generation failed unexpectedly");
            return fail(new GenerationFailure(GenerationFailure.INTERNAL, "the producer failed; see its log"));
        }
    }

    private Outcome answer() throws InterruptedException {
        Prompt parsed = null;
        String model = services.backend().defaultModel();
        GenerationFailure invalid = null;
        try {
            parsed = services.prompts().prompt(prompt.value());
            model = model(parsed);
        } catch (InvalidEventException e) {
            invalid = e.failure();
        }
        if (!acquireSlot()) {
            // A prompt read again after a take-over may have been answered: its answer's terminal event is the one.
            if (prior() == PriorAttempt.FINISHED) {
                services.monitor().alreadyAnswered(id, prompt.room());
                return Outcome.ANSWERED;
            }
            return abort.get() == null ? fail(new GenerationFailure(GenerationFailure.OVERLOADED, "too many generations at once")) : onAbort(0);
        }
        try {
            if (writer.fenced()) {
                abort.set(Abort.ABANDON);
                return onAbort(0);
            }
            PriorAttempt prior = prior();
            if (prior == PriorAttempt.FINISHED) {
                services.monitor().alreadyAnswered(id, prompt.room());
                return Outcome.ANSWERED;
            }
            if (invalid != null) {
                return fail(invalid);
            }
            if (abort.get() != null) {
                return onAbort(0);
            }
            List<Turn> turns = services.history().recentTurns(prompt, services.config().maxTurns());
            GenerationRequest request = new GenerationRequest(model, messages(turns, parsed), parsed.params());
            startNanos = System.nanoTime();
            boolean restart = prior == PriorAttempt.UNFINISHED;
            send(restart ? EventTypes.RESTARTED : EventTypes.STARTED,
                    restart ? services.events().restarted(id, model, "takeover") : services.events().started(id, model));
            services.monitor().started(id, prompt.room(), model, restart);
            return stream(request);
        } finally {
            services.bulkhead().onComplete();
        }
    }

    /** What an earlier owner did with this prompt; none for a prompt at or above the partition's end at take-over. */
    private PriorAttempt prior() throws InterruptedException {
        long end = replayEnd.getAsLong();
        return prompt.offset() < end ? services.history().priorAttempt(prompt, end) : PriorAttempt.NONE;
    }

    private Outcome stream(GenerationRequest request) throws InterruptedException {
        OpenedStream opened;
        try {
            opened = await(services.backend().open(request, handle));
        } catch (AbortedException e) {
            return onAbort(0);
        } catch (ExecutionException e) {
            return fail(GenerationFailure.fromBackend(e.getCause(), true));
        }
        Duration toFirstToken = elapsed();
        services.monitor().firstToken(id, toFirstToken);
        TokenStream stream = opened.stream();
        StreamChunk chunk = opened.first();
        int seq = 0;
        try {
            while (true) {
                if (writer.fenced()) {
                    abort.set(Abort.ABANDON);
                }
                if (abort.get() != null) {
                    return onAbort(seq);
                }
                if (eventsLost()) {
                    return fail(unavailable());
                }
                if (chunk instanceof StreamChunk.Finish finish) {
                    return done(finish.finishReason(), finish.usage(), seq, toFirstToken);
                }
                if (seq == services.config().maxAnswerTokens()) {
                    return done("length", Usage.unknown(), seq, toFirstToken);
                }
                String text = ((StreamChunk.Token) chunk).text();
                sentTokens.add(new SentToken(text, send(EventTypes.TOKEN, services.events().token(id, seq++, text))));
                services.monitor().token();
                try {
                    chunk = await(services.backend().next(stream));
                } catch (AbortedException e) {
                    return onAbort(seq);
                } catch (ExecutionException e) {
                    return fail(GenerationFailure.fromBackend(e.getCause(), false));
                }
            }
        } finally {
            stream.close();
        }
    }

    private Outcome done(String finishReason, Usage usage, int tokens, Duration toFirstToken) throws InterruptedException {
        Duration elapsed = elapsed();
        if (publish(EventTypes.DONE, services.events().done(id, finishReason, usage, elapsed.toMillis()))) {
            services.monitor().done(id, prompt.room(), finishReason, tokens, elapsed, toFirstToken);
            writeMessage("done");
            return Outcome.ANSWERED;
        }
        return settle();
    }

    private Outcome onAbort(int tokens) throws InterruptedException {
        if (abort.get() == Abort.ABANDON) {
            services.monitor().abandoned(id, prompt.room());
            return Outcome.ABANDONED;
        }
        Duration elapsed = elapsed();
        if (publish(EventTypes.CANCELLED, services.events().cancelled(id, tokens, elapsed.toMillis()))) {
            services.monitor().cancelled(id, prompt.room(), tokens, elapsed);
            writeMessage("cancelled");
            return Outcome.ANSWERED;
        }
        return settle();
    }

    private Outcome fail(GenerationFailure failure) throws InterruptedException {
        if (publish(EventTypes.ERROR, services.events().error(id, failure))) {
            services.monitor().failed(id, prompt.room(), failure, elapsed());
            writeMessage("error");
            return Outcome.ANSWERED;
        }
        return settle();
    }

    /**
     * After a failed publish: the answer is incomplete in the room, so it ends with
     * {@code generation.error} (unavailable), retried with backoff until Kafka takes it or the
     * partition is taken away.
     */
    private Outcome settle() throws InterruptedException {
        GenerationFailure failure = unavailable();
        ObjectNode data = services.events().error(id, failure);
        long backoff = 200;
        while (abort.get() != Abort.ABANDON) {
            try {
                aborted.get(backoff, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // waited out the backoff
            }
            if (publish(EventTypes.ERROR, data)) {
                services.monitor().failed(id, prompt.room(), failure, elapsed());
                writeMessage("error");
                return Outcome.ANSWERED;
            }
            backoff = Math.min(backoff * 2, MAX_PUBLISH_BACKOFF_MS);
        }
        services.monitor().abandoned(id, prompt.room());
        return Outcome.ABANDONED;
    }

    /** Whether an event of this answer was not written: a failed send or an aborted transaction. */
    private boolean eventsLost() {
        return publishFailure.get() != null || writer.abortedTransactions() != abortedAtStart;
    }

    /**
     * Publishes a terminal event in one transaction with the rest of the answer and the prompt's
     * offset; false if it was not committed. A fenced writer abandons the task.
     */
    private boolean publish(String type, ObjectNode data) {
        if (eventsLost() && !EventTypes.ERROR.equals(type)) {
            return false; // tokens were lost: this answer can only end in an error
        }
        if (writer.commit(prompt.room(), type, data, prompt.offset() + 1)) {
            return true;
        }
        if (writer.fenced()) {
            abort.set(Abort.ABANDON);
        } else {
            publishFailure.compareAndSet(null, new RoomPublisher.PublishException("the transaction with " + type + " was not committed"));
            services.monitor().publishFailed(id, prompt.room(), type + " was not committed");
        }
        return false;
    }

    /** Sends without waiting for Kafka (a failure is noticed before the next token); the future completes once the event is visible. */
    private CompletableFuture<RecordMetadata> send(String type, ObjectNode data) {
        PartitionWriter.Sent sent = writer.send(prompt.room(), type, data);
        sent.acknowledged().whenComplete((metadata, failure) -> {
            if (failure != null && publishFailure.compareAndSet(null, failure)) {
                services.monitor().publishFailed(id, prompt.room(), failure.getMessage());
            }
        });
        return sent.committed();
    }

    /**
     * Writes {@code generation.message} after the terminal event was committed: of the tokens
     * only those subscribers saw, as the transactions before the terminal one are settled by now
     * (a token whose send failed or whose transaction was aborted is not in the room). A failure
     * is logged only: the room still holds the tokens, which compacting readers then show as a
     * partial answer (see docs/protocol.md).
     */
    private void writeMessage(String status) {
        StringBuilder text = new StringBuilder();
        int count = 0;
        long first = -1;
        long last = -1;
        for (SentToken token : sentTokens) {
            CompletableFuture<RecordMetadata> committed = token.committed();
            if (committed.isDone() && !committed.isCompletedExceptionally()) {
                text.append(token.text());
                count++;
                last = committed.join().offset();
                first = first < 0 ? last : first;
            }
        }
        ObjectNode data = services.events().message(id, status, text.toString(), count, first, last);
        if (!writer.commit(prompt.room(), EventTypes.MESSAGE, data, prompt.offset() + 1)) {
            services.monitor().publishFailed(id, prompt.room(), "generation.message was not committed");
        }
    }

    private boolean acquireSlot() {
        long deadline = System.nanoTime() + services.config().resilience().bulkheadMaxWait().toNanos();
        while (abort.get() == null) {
            // the bulkhead itself waits a short while per try, so this loop is not busy
            if (services.bulkhead().tryAcquirePermission()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
        }
        return false;
    }

    private <T> T await(CompletableFuture<T> future) throws AbortedException, ExecutionException, InterruptedException {
        try {
            CompletableFuture.anyOf(future, aborted).get();
        } catch (ExecutionException e) {
            // the future failed: examined below
        }
        if (abort.get() != null) {
            throw new AbortedException();
        }
        try {
            return future.get();
        } catch (CancellationException e) {
            throw new ExecutionException(e);
        }
    }

    private String model(Prompt parsed) throws InvalidEventException {
        String def = services.backend().defaultModel();
        if (parsed.model() == null || parsed.model().equals(def)) {
            return def;
        }
        if (services.config().allowedModels().contains(parsed.model())) {
            return parsed.model();
        }
        throw new InvalidEventException(GenerationFailure.MODEL_NOT_ALLOWED, "model " + parsed.model() + " is not served here");
    }

    private List<ChatMessage> messages(List<Turn> turns, Prompt parsed) {
        List<ChatMessage> messages = new ArrayList<>(turns.size() * 2 + 2);
        if (!services.config().systemPrompt().isBlank()) {
            messages.add(ChatMessage.system(services.config().systemPrompt()));
        }
        for (Turn turn : turns) {
            messages.add(ChatMessage.user(turn.prompt()));
            if (turn.answer() != null && !turn.answer().isEmpty()) {
                messages.add(ChatMessage.assistant(turn.answer()));
            }
        }
        messages.add(ChatMessage.user(parsed.text()));
        return messages;
    }

    private static GenerationFailure unavailable() {
        return new GenerationFailure(GenerationFailure.UNAVAILABLE, "Kafka did not accept the answer in time; it is incomplete");
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** A token of this attempt and whether (and where) it became visible in the room. */
    private record SentToken(String text, CompletableFuture<RecordMetadata> committed) {
    }

    /** The generation was cancelled or abandoned while waiting. */
    private static final class AbortedException extends Exception {
        AbortedException() {
            super(null, null, false, false);
        }
    }
}
