package io.roomcast.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw protocol client for tests, on the JDK's WebSocket: every received object lands in a queue. */
final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    /** Characters of every complete text message received (bytes, for the ASCII the edge sends). */
    private final java.util.concurrent.atomic.AtomicLong receivedChars = new java.util.concurrent.atomic.AtomicLong();
    private final WebSocket socket;
    private volatile boolean paused;
    private volatile boolean demandHeld;

    private WsClient(String url, Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        this.socket = builder
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            receivedChars.addAndGet(text.length());
                            try {
                                JsonNode node = JSON.readTree(text.toString());
                                if (node.isArray()) {
                                    node.forEach(frames::add);
                                } else {
                                    frames.add(node);
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException("edge sent invalid JSON: " + text, e);
                            }
                            text.setLength(0);
                        }
                        synchronized (frames) {
                            if (paused) {
                                demandHeld = true;
                                return null;
                            }
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closeReason = reason;
                        closeCode.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closeCode.complete(-1);
                    }
                }).join();
    }

    /** Stops reading from the socket (after the frame in progress): the edge sees a stalled client. */
    void pause() {
        synchronized (frames) {
            paused = true;
        }
    }

    /** Reads again. */
    void resume() {
        synchronized (frames) {
            paused = false;
            if (demandHeld) {
                demandHeld = false;
                socket.request(1);
            }
        }
    }

    /** Characters received so far, in complete text messages. */
    long receivedChars() {
        return receivedChars.get();
    }

    static WsClient connect(String url) {
        return new WsClient(url, Map.of());
    }

    /** With extra handshake headers ({@code Origin}, say). */
    static WsClient connect(String url, Map<String, String> headers) {
        return new WsClient(url, headers);
    }

    WsClient send(String frame) {
        socket.sendText(frame, true).join();
        return this;
    }

    WsClient sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
        return this;
    }

    /** The next frame, failing the test if none comes within the wait limit. */
    JsonNode next() {
        try {
            JsonNode n = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (n == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame with {@code op}, skipping (and returning in {@code skipped}) the others. */
    JsonNode nextOp(String op) {
        while (true) {
            JsonNode n = next();
            if (op.equals(n.path("op").asText())) {
                return n;
            }
        }
    }

    /** Frames up to and including the first one matching {@code until}. */
    List<JsonNode> until(Predicate<JsonNode> until) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode n = next();
            out.add(n);
            if (until.test(n)) {
                return out;
            }
        }
    }

    /** The next {@code count} event frames, failing on anything unexpected in between except {@code live}. */
    List<JsonNode> events(int count) {
        List<JsonNode> out = new ArrayList<>(count);
        while (out.size() < count) {
            JsonNode n = next();
            if ("event".equals(n.path("op").asText())) {
                out.add(n);
            } else if (!"live".equals(n.path("op").asText())) {
                throw new AssertionError("unexpected frame while waiting for events: " + n);
            }
        }
        return out;
    }

    /** A frame if one arrives within {@code wait}, else null. */
    JsonNode poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    int awaitClose() {
        return closeCode.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** The reason of the close frame the edge sent; call after {@link #awaitClose()}. */
    String closeReason() {
        return closeReason;
    }

    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
