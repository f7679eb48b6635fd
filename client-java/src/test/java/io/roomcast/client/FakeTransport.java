package io.roomcast.client;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A scripted {@link Transport}: the test plays the edge, frame by frame. */
final class FakeTransport implements Transport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final LinkedBlockingQueue<FakeConnection> attempts = new LinkedBlockingQueue<>();
    final List<URI> uris = new CopyOnWriteArrayList<>();
    volatile boolean autoAccept = true;

    @Override
    public CompletableFuture<Connection> connect(URI uri, Duration timeout, Handler handler) {
        FakeConnection c = new FakeConnection(uri, handler);
        uris.add(uri);
        attempts.add(c);
        if (autoAccept) {
            c.future.complete(c);
        }
        return c.future;
    }

    /** The next connection attempt (waits for it). */
    FakeConnection nextAttempt() {
        try {
            FakeConnection c = attempts.poll(10, TimeUnit.SECONDS);
            if (c == null) {
                throw new AssertionError("no connection attempt within 10 s");
            }
            return c;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static final class FakeConnection implements Connection {
        final URI uri;
        final Transport.Handler handler;
        final CompletableFuture<Connection> future = new CompletableFuture<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        /** Messages the client is ready for: +1 per request(), +1 when onText asks for more, -1 per push. */
        final AtomicInteger credits = new AtomicInteger();
        final AtomicInteger pushed = new AtomicInteger();
        volatile int closedWith;
        volatile boolean aborted;

        FakeConnection(URI uri, Transport.Handler handler) {
            this.uri = uri;
            this.handler = handler;
        }

        @Override
        public void send(String frame) {
            sent.add(frame);
        }

        @Override
        public void request() {
            credits.incrementAndGet();
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        boolean gone() {
            return aborted || closedWith != 0;
        }

        /** Sends a frame as the edge, once the client is ready for the next one (as a real transport would). */
        void push(String json) {
            await().atMost(10, TimeUnit.SECONDS).until(() -> credits.get() > 0);
            credits.decrementAndGet();
            pushed.incrementAndGet();
            if (handler.onText(json)) {
                credits.incrementAndGet();
            }
        }

        /** The first sent frame with this op (waits for it), parsed. */
        JsonNode awaitSent(String op) {
            return awaitSent(op, 1);
        }

        /** The n-th (1-based) sent frame with this op (waits for it), parsed. */
        JsonNode awaitSent(String op, int n) {
            JsonNode[] found = new JsonNode[1];
            await().atMost(10, TimeUnit.SECONDS).until(() -> {
                int seen = 0;
                for (String s : sent) {
                    JsonNode node = MAPPER.readTree(s);
                    if (node.path("op").asText().equals(op) && ++seen == n) {
                        found[0] = node;
                        return true;
                    }
                }
                return false;
            });
            return found[0];
        }

        long countSent(String op) {
            return sent.stream().filter(s -> s.contains("\"op\":\"" + op + "\"")).count();
        }
    }
}
