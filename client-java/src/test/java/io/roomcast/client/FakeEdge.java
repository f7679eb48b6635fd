package io.roomcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small scripted edge on Undertow that speaks the Roomcast protocol over a {@link FakeLog}: subscribe with every
 * {@code from} (exact hand-over under the log's lock, gaps for retention and epoch changes), unsubscribe, publish with
 * ack, ping/pong, batches both ways. The test can kill it, drop its connections, silence its pongs, ask clients to
 * reconnect, and restart it on the same port. Not the real edge: it exists so the client can be tested on real
 * sockets before (and besides) the ws-edge module.
 */
final class FakeEdge implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final FakeLog log;
    private final String name;
    private final Set<WebSocketChannel> channels = ConcurrentHashMap.newKeySet();
    private final Map<WebSocketChannel, Map<String, Consumer<FakeLog.Entry>>> subscriptions = new ConcurrentHashMap<>();
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicBoolean ponging = new AtomicBoolean(true);
    private volatile Undertow server;
    private volatile int port;

    FakeEdge(String name, FakeLog log) {
        this.name = name;
        this.log = log;
    }

    /** Starts on {@code port} (0: any free port, remembered for restarts). */
    FakeEdge start(int wantedPort) {
        Undertow s = Undertow.builder()
                .addHttpListener(wantedPort, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(Handlers.path().addPrefixPath("/ws", Handlers.websocket((exchange, channel) -> {
                    if (exchange.getRequestParameters().containsKey("token")
                            && exchange.getRequestParameters().get("token").contains("bad")) {
                        WebSockets.sendClose(4401, "unauthorized", channel, null);
                        return;
                    }
                    connections.incrementAndGet();
                    channels.add(channel);
                    subscriptions.put(channel, new ConcurrentHashMap<>());
                    channel.getCloseSetter().set(c -> forget(channel));
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                            handle(ch, message.getData());
                        }
                    });
                    channel.resumeReceives();
                })))
                .build();
        s.start();
        server = s;
        port = ((InetSocketAddress) s.getListenerInfo().get(0).getAddress()).getPort();
        return this;
    }

    /** Starts again on the port it had. */
    FakeEdge restart() {
        return start(port);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    String name() {
        return name;
    }

    /** Like a killed process: connections die without a close frame, the port stops listening. */
    void kill() {
        dropConnections();
        Undertow s = server;
        server = null;
        if (s != null) {
            s.stop();
        }
    }

    /** Drops every connection without a close frame; keeps listening. */
    void dropConnections() {
        for (WebSocketChannel ch : channels) {
            forget(ch);
            abort(ch);
        }
    }

    /**
     * Closes the TCP connection under the WebSocket at once. {@code WebSocketChannel.close()} alone may wait for queued
     * frames to flush, which a flooded connection never does; a killed process does not wait.
     */
    private static void abort(WebSocketChannel ch) {
        try {
            java.lang.reflect.Method underlying =
                    io.undertow.server.protocol.framed.AbstractFramedChannel.class.getDeclaredMethod("getUnderlyingConnection");
            underlying.setAccessible(true);
            ((org.xnio.StreamConnection) underlying.invoke(ch)).close();
        } catch (ReflectiveOperationException | IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** Sends a text frame to every connected client. */
    void sendToAll(String frame) {
        channels.forEach(ch -> WebSockets.sendText(frame, ch, null));
    }

    void closeAll(int code, String reason) {
        channels.forEach(ch -> WebSockets.sendClose(code, reason, ch, null));
    }

    int openConnections() {
        return channels.size();
    }

    /** The {@code subscribe} frames received, in order. */
    List<JsonNode> subscribes() {
        return received.stream().filter(n -> n.path("op").asText().equals("subscribe")).toList();
    }

    @Override
    public void close() {
        kill();
    }

    private void forget(WebSocketChannel ch) {
        channels.remove(ch);
        Map<String, Consumer<FakeLog.Entry>> subs = subscriptions.remove(ch);
        if (subs != null) {
            subs.values().forEach(log::removeTail);
        }
    }

    private void handle(WebSocketChannel ch, String text) {
        // The real edge's limits (EdgeConfig.maxFrameBytes' default, FrameParser's batch): a client must keep to them.
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64 * 1024) {
            WebSockets.sendClose(1009, "message too large", ch, null);
            return;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException e) {
            send(ch, error(null, "bad_request", "frame is not valid JSON"));
            return;
        }
        if (root.isArray() && root.size() > 100) {
            send(ch, error(null, "bad_request", "batch has " + root.size() + " requests; the limit is 100"));
        } else if (root.isArray()) {
            root.forEach(n -> handleOne(ch, n));
        } else {
            handleOne(ch, root);
        }
    }

    private void handleOne(WebSocketChannel ch, JsonNode req) {
        received.add(req);
        JsonNode id = req.get("id");
        String room = req.path("room").asText();
        switch (req.path("op").asText()) {
            case "subscribe" -> subscribe(ch, id, room, req.get("from"));
            case "unsubscribe" -> {
                Consumer<FakeLog.Entry> tail = subscriptions.getOrDefault(ch, Map.of()).remove(room);
                if (tail != null) {
                    log.removeTail(tail);
                }
                ObjectNode unsubscribed = obj("unsubscribed");
                unsubscribed.set("id", id);
                send(ch, unsubscribed.put("room", room));
            }
            case "publish" -> {
                String type = req.path("type").asText("message");
                String eventId = req.hasNonNull("eventId") ? req.get("eventId").asText() : null;
                long offset = log.append(room, type, req.get("data"), eventId);
                ObjectNode ack = obj("ack");
                ack.set("id", id);
                send(ch, ack.put("room", room).put("offset", offset));
            }
            case "ping" -> {
                if (ponging.get()) {
                    ObjectNode pong = obj("pong");
                    pong.set("id", id);
                    send(ch, pong);
                }
            }
            case "auth" -> {
                if (req.path("token").asText().contains("bad")) {
                    send(ch, error(id, "unauthorized", "token refused: bad_signature"));
                } else {
                    ObjectNode authed = obj("authed");
                    authed.set("id", id);
                    send(ch, authed.put("expiresAt", -1));
                }
            }
            default -> send(ch, error(id, "bad_request", "unknown op"));
        }
    }

    /** Registers for live and sends history, both under the log's lock: the exact hand-over, trivially. */
    private void subscribe(WebSocketChannel ch, JsonNode id, String room, JsonNode from) {
        Map<String, Consumer<FakeLog.Entry>> subs = subscriptions.get(ch);
        if (subs == null || subs.containsKey(room)) {
            send(ch, error(id, "bad_request", "already subscribed"));
            return;
        }
        log.atomically(() -> {
            ObjectNode subscribed = obj("subscribed");
            subscribed.set("id", id);
            subscribed.put("room", room).put("epoch", log.epoch());
            List<FakeLog.Entry> roomEntries = log.room(room);
            List<FakeLog.Entry> history = new ArrayList<>();
            if (from == null || from.asText().equals("latest")) {
                // live only
            } else if (from.isTextual() && from.asText().equals("earliest")) {
                subscribed.put("recovered", true);
                history.addAll(roomEntries);
            } else if (from.has("after")) {
                long after = from.get("after").asLong();
                boolean sameEpoch = from.path("epoch").asText().equals(log.epoch());
                if (!sameEpoch || after + 1 < log.firstRetained()) {
                    long resumeAt = roomEntries.isEmpty() ? log.endOffset() + 1 : roomEntries.get(0).offset();
                    subscribed.put("recovered", false).putObject("gap")
                            .put("reason", sameEpoch ? "retention" : "epoch").put("after", after).put("resumeAt", resumeAt);
                    history.addAll(roomEntries);
                } else {
                    subscribed.put("recovered", true);
                    roomEntries.stream().filter(e -> e.offset() > after).forEach(history::add);
                }
            } else if (from.has("last")) {
                subscribed.put("recovered", true);
                int n = from.get("last").asInt();
                history.addAll(roomEntries.subList(Math.max(0, roomEntries.size() - n), roomEntries.size()));
            } else if (from.has("time")) {
                subscribed.put("recovered", true);
                long t = from.get("time").asLong();
                roomEntries.stream().filter(e -> e.ts() >= t).forEach(history::add);
            }
            send(ch, subscribed);
            if (history.size() == 1) {
                send(ch, event(history.get(0)));
            } else if (!history.isEmpty()) {
                ArrayNode batch = MAPPER.createArrayNode();
                history.forEach(e -> batch.add(event(e)));
                sendRaw(ch, batch.toString());
            }
            send(ch, obj("live").put("room", room).put("offset", log.endOffset()));
            Consumer<FakeLog.Entry> tail = e -> {
                if (e.room().equals(room)) {
                    send(ch, event(e));
                }
            };
            subs.put(room, tail);
            log.addTail(tail);
            return null;
        });
    }

    private static ObjectNode event(FakeLog.Entry e) {
        ObjectNode ev = obj("event").put("room", e.room()).put("offset", e.offset()).put("type", e.type()).put("ts", e.ts());
        ev.set("data", e.data());
        if (e.eventId() != null) {
            ev.put("eventId", e.eventId());
        }
        return ev;
    }

    private static ObjectNode error(JsonNode id, String code, String message) {
        ObjectNode err = obj("error");
        if (id != null) {
            err.set("id", id);
        }
        return err.put("code", code).put("message", message);
    }

    private static ObjectNode obj(String op) {
        return MAPPER.createObjectNode().put("op", op);
    }

    private ObjectNode send(WebSocketChannel ch, ObjectNode frame) {
        sendRaw(ch, frame.toString());
        return frame;
    }

    private void sendRaw(WebSocketChannel ch, String text) {
        if (channels.contains(ch)) {
            WebSockets.sendText(text, ch, null);
        }
    }
}
