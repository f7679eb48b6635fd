package io.roomcast.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A well-behaved client in the middle of a fuzz run: subscribed to a room the fuzzers also write
 * junk into, it publishes a numbered event every {@code interval} and checks that every one it had
 * acknowledged comes back — the edge keeps serving normal clients whatever strangers send.
 */
final class Watcher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI ws;
    private final String room;
    private final String mark = "watch-" + Long.toHexString(System.nanoTime());
    private final Pattern ownEvent = Pattern.compile("\"" + mark + "\":(\\d{1,18})");
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final Set<Long> received = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong foreignEvents = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong maxSilenceNanos = new AtomicLong();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile long lastReceivedNanos = System.nanoTime();
    private WebSocket socket;
    private final StringBuilder partial = new StringBuilder();

    Watcher(URI ws, String room) {
        this.ws = ws;
        this.room = room;
    }

    void start() {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    onFrame(partial.toString());
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed.complete(code + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed.complete("error " + error);
            }
        }).join();
        socket.sendText("{\"op\":\"subscribe\",\"id\":0,\"room\":\"" + room + "\"}", true).join();
        subscribed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Publishes the next numbered event (call from one thread, at most a few per second: the publish rate limit holds). */
    void publishNext() {
        long n = published.incrementAndGet();
        socket.sendText("{\"op\":\"publish\",\"id\":" + n + ",\"room\":\"" + room + "\",\"data\":{\"" + mark + "\":" + n + "}}", true).join();
    }

    private void onFrame(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            // A frame this client cannot parse is a failed check of the run (FuzzRun); its own events in it
            // are still found in the text, so that the count of missed events stays true.
            unreadable.incrementAndGet();
            Matcher m = ownEvent.matcher(text);
            while (m.find()) {
                gotOwn(Long.parseLong(m.group(1)));
            }
            return;
        }
        for (JsonNode f : frame.isArray() ? frame : JSON.createArrayNode().add(frame)) {
            switch (f.path("op").asText()) {
                case "subscribed" -> subscribed.complete(null);
                case "ack" -> acked.add(f.path("id").asLong());
                case "event" -> {
                    JsonNode n = f.path("data").path(mark);
                    if (n.isNumber()) {
                        gotOwn(n.asLong());
                    } else {
                        foreignEvents.incrementAndGet();
                    }
                }
                default -> {
                }
            }
        }
    }

    private void gotOwn(long n) {
        received.add(n);
        long now = System.nanoTime();
        maxSilenceNanos.accumulateAndGet(now - lastReceivedNanos, Math::max);
        lastReceivedNanos = now;
    }

    /** Waits up to {@code wait} for every acknowledged event to come back; true when all did. */
    boolean awaitAll(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && !received.containsAll(acked)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return received.containsAll(acked);
    }

    long published() {
        return published.get();
    }

    long acknowledged() {
        return acked.size();
    }

    long received() {
        return received.size();
    }

    long foreignEvents() {
        return foreignEvents.get();
    }

    long unreadable() {
        return unreadable.get();
    }

    Duration longestSilence() {
        return Duration.ofNanos(maxSilenceNanos.get());
    }

    /** How the connection ended, if it did. */
    String closedBy() {
        return closed.getNow(null);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
