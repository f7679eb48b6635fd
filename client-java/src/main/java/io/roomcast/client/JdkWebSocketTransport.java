package io.roomcast.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} on the JDK's {@code java.net.http} WebSocket. The JDK allows one outstanding send at a time, so
 * frames queue here and whatever queued while a send was in progress leaves as one batch (a JSON array) within
 * {@code maxFrameBytes}. WebSocket ping control frames are answered by the JDK itself.
 *
 * <p>A limit of the JDK (seen on 17, and the code is unchanged in 25): its transport reads the socket ahead of the
 * listener's demand, and an end of stream it reads in the short moment after a frame was taken and before the next
 * one is requested is lost ({@code acknowledgeReception} fails on a zero demand), so neither {@code onClose} nor
 * {@code onError} ever comes and the socket sits in CLOSE_WAIT. Asking for the next message inside {@code onText}
 * shrinks that moment but cannot close it; the client's app-level heartbeat (ping interval + pong timeout) is what
 * detects such a connection and replaces it.
 */
final class JdkWebSocketTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(JdkWebSocketTransport.class);
    private static final long CLOSE_GRACE_MS = 1_000;

    private final HttpClient http;
    private final int maxFrameBytes;
    private final int maxInboundChars;
    /** Frames one connection may have queued; the client's own limits keep it far below this. */
    private final int maxQueuedFrames;

    JdkWebSocketTransport(HttpClient http, int maxFrameBytes, int maxInboundChars, int maxQueuedFrames) {
        this.http = http;
        this.maxFrameBytes = maxFrameBytes;
        this.maxInboundChars = maxInboundChars;
        this.maxQueuedFrames = maxQueuedFrames;
    }

    @Override
    public CompletableFuture<Connection> connect(URI uri, Duration timeout, Handler handler) {
        return http.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(uri, new Reader(handler))
                .thenApply(ws -> new JdkConnection(ws, handler));
    }

    /** Assembles text messages from their parts and hands each complete one to the handler. */
    private final class Reader implements WebSocket.Listener {
        private final Handler handler;
        private final StringBuilder message = new StringBuilder();
        private boolean failed;

        Reader(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void onOpen(WebSocket ws) {
            // no request here: the client asks for the first message once it is ready for it
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (failed) {
                return null;
            }
            if (message.length() + data.length() > maxInboundChars) {
                failed = true;
                message.setLength(0);
                ws.abort();
                handler.onFailure(new FrameTooLargeException(maxInboundChars));
                return null;
            }
            message.append(data);
            if (!last) {
                ws.request(1);
                return null;
            }
            String complete = message.toString();
            message.setLength(0);
            // asking for the next message here, before the JDK's demand drops to zero, matters: the JDK reads the
            // socket ahead, and an end of stream it reads while the demand is zero is never reported (the connection
            // then hangs half-closed until the heartbeat notices)
            if (handler.onText(complete)) {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            // the protocol has no binary frames from the edge; skip them rather than guess
            log.atWarn().addKeyValue("bytes", data.remaining()).log("binary frame from edge ignored");
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            handler.onClosed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            handler.onFailure(error);
        }
    }

    /** Serialises sends (one outstanding at a time, as the JDK requires) and batches what queued meanwhile. */
    private final class JdkConnection implements Connection {
        private final WebSocket ws;
        private final Handler handler;
        private final Deque<String> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean closed;

        JdkConnection(WebSocket ws, Handler handler) {
            this.ws = ws;
            this.handler = handler;
        }

        @Override
        public void send(String frame) {
            String batch;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (queue.size() >= maxQueuedFrames) {
                    closed = true;
                    queue.clear();
                    ws.abort();
                    handler.onFailure(new IllegalStateException("send queue full (" + maxQueuedFrames + " frames)"));
                    return;
                }
                queue.addLast(frame);
                if (sending) {
                    return;
                }
                sending = true;
                batch = FrameBatcher.next(queue, maxFrameBytes);
            }
            sendNow(batch);
        }

        private void sendNow(String batch) {
            ws.sendText(batch, true).whenComplete((w, error) -> {
                if (error != null) {
                    synchronized (this) {
                        closed = true;
                        queue.clear();
                    }
                    ws.abort();
                    handler.onFailure(error);
                    return;
                }
                String nextBatch;
                synchronized (this) {
                    if (queue.isEmpty() || closed) {
                        sending = false;
                        return;
                    }
                    nextBatch = FrameBatcher.next(queue, maxFrameBytes);
                }
                sendNow(nextBatch);
            });
        }

        @Override
        public void request() {
            ws.request(1);
        }

        @Override
        public void close(int code, String reason) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                queue.clear();
            }
            try {
                ws.sendClose(code, reason)
                        .orTimeout(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)
                        .whenComplete((w, e) -> ws.abort());
            } catch (RuntimeException e) {
                ws.abort();
            }
        }

        @Override
        public void abort() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            ws.abort();
        }
    }
}
