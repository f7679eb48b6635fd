package io.roomcast.edge.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.edge.http.IoThreadTasks;
import io.roomcast.edge.session.DrainWaiters;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.edge.sse.SseChannel;
import io.roomcast.edge.sse.SseMetrics;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One answer followed for one HTTP request: the room subscription's frames in, OpenAI's shapes out.
 * The events of the request's generation (its id is the prompt's place in the log) become
 * {@code chat.completion.chunk} SSE events whose {@code id} is the room offset of the event they
 * come from, ending with {@code data: [DONE]}; other events of the room are skipped. With
 * {@code stream: false} the text is gathered and sent as one {@code chat.completion}.
 *
 * <p>The HTTP status is decided by the first event of the generation: {@code generation.started}
 * opens a 200 stream, a {@code generation.error} before it (unknown model, bad prompt) becomes the
 * matching 4xx/5xx error in OpenAI's shape. Until the stream is open, chunks wait in a buffer of at
 * most the edge's outbound limit; then in the {@link SseChannel}, with the same bound. Both refuse
 * when full, and the subscription catches up losslessly, as for any slow client.
 *
 * <p>Threading: frames come from the live thread and workers, the stream opens on the IO thread;
 * state is guarded by this object's lock. The exchange is only touched on its IO thread.
 */
final class CompletionStream implements FrameSink {
    private static final Logger log = LoggerFactory.getLogger(CompletionStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest whole answer held for a {@code stream: false} request, in characters (2 MiB of heap). */
    static final int MAX_ANSWER_CHARS = 1 << 20;

    private enum State { WAITING, OPENING, STREAMING, DONE }

    private record Pending(String data, String id) {
    }

    private final HttpServerExchange exchange;
    private final CompletionId id;
    private final String generationId;
    private final boolean stream;
    private final boolean includeUsage;
    private final int limit;
    private final long keepAliveMillis;
    private final SseMetrics metrics;
    private final Runnable ended;
    /**
     * A resume's chunks up to this offset were sent before (its {@code starting_after}): their events are read again, so
     * the answer's state is right (a resume at the last chunk still ends with {@code [DONE]}), but not sent. -1: none.
     */
    private final long sentThrough;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** Drain tasks that came before the stream opened: its pending frames were the buffer then. */
    private final DrainWaiters opening = new DrainWaiters();
    private final StringBuilder text = new StringBuilder();
    /** The whole answer ({@code stream: false}) reached {@link #MAX_ANSWER_CHARS}: it ends there, with {@code finish_reason: length}. */
    private boolean truncated;
    private State state;
    private SseChannel channel;
    private long created;
    private long lastSeq = -1;
    private boolean roleSent;

    /**
     * @param generationId the generation's id, {@code topic:partition:promptOffset}
     * @param resumed      whether this follows an answer that already started (a resume): the stream opens at once
     * @param sentThrough  the offset through which a resume's client has the chunks (-1: none)
     * @param keepAliveMillis how often an open stream that has nothing to send writes a comment: proxies keep it, and a
     *                     client that hung up is noticed (a resume can wait long for the rest of an answer)
     * @param ended        run once when the request is over (answer complete, error, client gone): stops the subscription
     */
    CompletionStream(HttpServerExchange exchange, CompletionId id, String generationId, boolean stream, boolean includeUsage,
                     boolean resumed, long sentThrough, int limit, long keepAliveMillis, SseMetrics metrics, Runnable ended) {
        this.exchange = exchange;
        this.id = id;
        this.generationId = generationId;
        this.stream = stream;
        this.includeUsage = includeUsage;
        this.limit = limit;
        this.keepAliveMillis = keepAliveMillis;
        this.metrics = metrics;
        this.ended = ended;
        this.sentThrough = sentThrough;
        this.created = System.currentTimeMillis() / 1000;
        this.state = State.WAITING;
        if (resumed) {
            synchronized (this) {
                open();
            }
        }
    }

    /** The client went away (or the response is complete): nothing more is written. A worker thread: it takes this stream's lock, which live dispatch holds while it waits for the SSE connection's. */
    void gone() {
        synchronized (this) {
            state = State.DONE;
        }
        ended.run();
    }

    /** The room cannot be followed any more (Kafka away too long). Any thread. */
    void failed(OpenAiError error) {
        synchronized (this) {
            if (state == State.DONE) {
                return;
            }
            fail(error, null);
        }
    }

    /** No generation event came in time: answer with an error, unless the answer began meanwhile. Any thread. */
    void timedOut(OpenAiError error) {
        synchronized (this) {
            if (state != State.WAITING) {
                return;
            }
            state = State.DONE;
        }
        respond(error::send);
    }

    @Override
    public boolean offer(ByteBuffer frame) {
        return handle(frame, false);
    }

    @Override
    public void force(ByteBuffer frame) {
        handle(frame, true);
    }

    @Override
    public void forceBatch(List<ByteBuffer> frames) {
        frames.forEach(this::force);
    }

    @Override
    public synchronized int free() {
        if (!stream || state == State.DONE) {
            return limit;
        }
        return channel != null ? channel.free() : Math.max(0, limit - pending.size());
    }

    @Override
    public void whenDrained(Runnable task) {
        SseChannel open;
        synchronized (this) {
            open = channel;
            if (open == null && stream && pending.size() > limit / 2 && state != State.DONE) {
                opening.await(task, () -> false); // not drained, as just seen; under this lock, so opened() finds it
                return;
            }
        }
        if (open != null) {
            open.whenDrained(task);
        } else {
            task.run();
        }
    }

    /** One frame; false when it could not be taken (full) and nothing changed. */
    private boolean handle(ByteBuffer frame, boolean force) {
        JsonNode event;
        try {
            event = JSON.readTree(StandardCharsets.UTF_8.decode(frame.duplicate()).toString());
        } catch (IOException e) {
            return true;
        }
        if (!event.path("op").asText().equals("event")) {
            return true; // subscribed, live: nothing to tell an OpenAI client
        }
        JsonNode data = event.path("data");
        if (!generationId.equals(data.path("generationId").asText(null))) {
            return true; // another event of the room
        }
        String type = event.path("type").asText();
        String offset = Long.toString(event.path("offset").asLong());
        synchronized (this) {
            if (state == State.DONE) {
                return true;
            }
            if (type.equals("generation.started")) {
                created = event.path("ts").asLong(System.currentTimeMillis()) / 1000;
            }
            switch (type) {
                case "generation.started", "generation.restarted" -> {
                    if (state == State.WAITING) {
                        if (stream) {
                            open();
                        } else {
                            state = State.STREAMING;
                        }
                    }
                    if (roleSent) {
                        return true; // a restart replays the answer: its tokens are skipped by seq below
                    }
                    roleSent = emit(chunk(role(), null), offset, force);
                    return roleSent;
                }
                case "token" -> {
                    long seq = data.path("seq").asLong(-1);
                    if (seq <= lastSeq) {
                        return true;
                    }
                    String piece = data.path("text").asText("");
                    if (!emit(chunk(content(piece), null), offset, force)) {
                        return false;
                    }
                    lastSeq = seq;
                    if (!stream) {
                        // Tokens come from any writer of the room: a whole answer is held up to a bound, then cut.
                        int room = MAX_ANSWER_CHARS - text.length();
                        truncated |= piece.length() > room;
                        text.append(piece, 0, Math.min(piece.length(), room));
                    }
                    return true;
                }
                case "generation.done" -> {
                    String finish = truncated ? "length" : data.path("finishReason").asText("stop");
                    if (!emit(chunk(JSON.createObjectNode(), finish), offset, force)) {
                        return false;
                    }
                    finish(finish, data.path("usage"), offset);
                    return true;
                }
                case "generation.error", "generation.cancelled" -> {
                    String code = type.equals("generation.cancelled") ? "cancelled" : data.path("code").asText("internal");
                    String message = type.equals("generation.cancelled") ? "the generation was cancelled"
                            : data.path("message").asText("the generation failed");
                    fail(OpenAiError.ofGeneration(code, message, id.model()), offset);
                    return true;
                }
                default -> {
                    return true;
                }
            }
        }
    }

    /** Under the lock: the answer ended normally. */
    private void finish(String finishReason, JsonNode usage, String offset) {
        state = State.DONE;
        if (stream) {
            if (includeUsage) {
                ObjectNode chunk = base("chat.completion.chunk");
                chunk.putArray("choices");
                chunk.set("usage", usage(usage));
                write(chunk.toString(), offset);
            }
            write("[DONE]", null);
            close();
            return;
        }
        ObjectNode body = base("chat.completion");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text.toString());
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        body.set("usage", usage(usage));
        String json = body.toString();
        respond(ex -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.getResponseSender().send(json);
        });
    }

    /** Under the lock: the generation failed or was cancelled. */
    private void fail(OpenAiError error, String offset) {
        State was = state;
        state = State.DONE;
        if (was == State.WAITING || !stream) {
            respond(error::send);
            return;
        }
        write(error.json(), offset); // OpenAI SDKs raise an APIError for an error object inside a stream
        close();
    }

    /** Under the lock: starts the 200 event stream, on the IO thread. */
    private void open() {
        state = State.OPENING;
        IoThreadTasks.execute(exchange, () -> Connectors.executeRootHandler(ex -> {
            if (ex.isComplete()) {
                return; // the client left before the answer began
            }
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
            ex.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
            new ServerSentEventHandler((connection, lastEventId) -> {
                connection.setKeepAliveTime(keepAliveMillis);
                opened(new SseChannel(connection, limit, metrics));
            }).handleRequest(ex);
        }, exchange));
    }

    /** On the IO thread: the stream is open; what waited is written, in order. */
    private void opened(SseChannel open) {
        synchronized (this) {
            channel = open;
            for (Pending p : pending) {
                open.force(p.data(), null, p.id());
            }
            pending.clear();
            if (state == State.DONE) {
                open.finish();
            } else {
                state = State.STREAMING;
            }
        }
        opening.drained();
    }

    /** Under the lock: one chunk out, or refused (false) when full and not forced. */
    private boolean emit(ObjectNode chunk, String offset, boolean force) {
        if (!stream || sentBefore(offset)) {
            return true;
        }
        String data = chunk.toString();
        if (channel != null) {
            if (force) {
                channel.force(data, null, offset);
                return true;
            }
            return channel.offer(data, null, offset);
        }
        if (!force && pending.size() >= limit) {
            return false;
        }
        pending.add(new Pending(data, offset));
        return true;
    }

    /** Under the lock: a closing chunk, always taken. */
    private void write(String data, String offset) {
        if (sentBefore(offset)) {
            return;
        }
        if (channel != null) {
            channel.force(data, null, offset);
        } else {
            pending.add(new Pending(data, offset));
        }
    }

    private boolean sentBefore(String offset) {
        return offset != null && Long.parseLong(offset) <= sentThrough;
    }

    /** Under the lock: ends the stream once written (or as soon as it opens). */
    private void close() {
        if (channel != null) {
            channel.finish();
        }
        ended.run();
    }

    /** Sends a whole (non-stream or error) response on the IO thread, then lets go. */
    private void respond(HttpHandler response) {
        IoThreadTasks.execute(exchange, () -> {
            if (!exchange.isComplete() && !exchange.isResponseStarted()) {
                Connectors.executeRootHandler(response, exchange);
            }
        });
        ended.run();
    }

    private ObjectNode base(String object) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", id.value());
        chunk.put("object", object);
        chunk.put("created", created);
        chunk.put("model", id.model());
        return chunk;
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = base("chat.completion.chunk");
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode role() {
        ObjectNode delta = JSON.createObjectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return delta;
    }

    private static ObjectNode content(String piece) {
        ObjectNode delta = JSON.createObjectNode();
        delta.put("content", piece);
        return delta;
    }

    private static ObjectNode usage(JsonNode usage) {
        long prompt = usage.path("promptTokens").asLong(0);
        long completion = usage.path("completionTokens").asLong(0);
        ObjectNode out = JSON.createObjectNode();
        out.put("prompt_tokens", prompt);
        out.put("completion_tokens", completion);
        out.put("total_tokens", prompt + completion);
        return out;
    }
}
