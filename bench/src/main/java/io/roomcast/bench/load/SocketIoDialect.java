package io.roomcast.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static io.roomcast.bench.load.JsonScan.OFFSET;
import static io.roomcast.bench.load.JsonScan.STAMP;

/**
 * Socket.IO 4 over its WebSocket transport (Engine.IO 4): one packet per frame; {@code 0} open,
 * {@code 2}/{@code 3} ping/pong, {@code 40} connect, {@code 42[...]} events. With connection-state
 * recovery the server appends an offset to every broadcast event; a reconnecting client sends
 * {@code 40{"pid":..,"offset":..}} and is recovered when the server gives it its old session id.
 * The peer's adapter (bench/peers/socketio-server.js) answers {@code subscribe} with {@code subscribed}
 * and broadcasts {@code event} packets whose payload looks like a Roomcast event frame.
 */
public final class SocketIoDialect implements Dialect {
    public static final SocketIoDialect INSTANCE = new SocketIoDialect();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EVENT = "42[\"event\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBED = "42[\"subscribed\"".getBytes(StandardCharsets.US_ASCII);

    private SocketIoDialect() {
    }

    @Override
    public String path() {
        return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    public boolean canResume() {
        return true;
    }

    @Override
    public void onOpen(WsConnection c) {
        // the server speaks first (Engine.IO open packet)
    }

    @Override
    public void onText(WsConnection c, byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        int end = off + len;
        switch (b[off]) {
            case '0' -> c.send(WsFrames.text(connectPacket(c)));
            case '2' -> c.send(WsFrames.text("3"));
            case '1' -> c.fail("engine.io close");
            case '4' -> message(c, b, off, end);
            default -> { } // noop and upgrade packets do not occur on a websocket-only session
        }
    }

    private static String connectPacket(WsConnection c) {
        if (c.reconnecting && c.sioPid != null && c.sioOffset != null) {
            ObjectNode auth = JSON.createObjectNode().put("pid", c.sioPid).put("offset", c.sioOffset);
            return "40" + auth;
        }
        return "40";
    }

    private static void message(WsConnection c, byte[] b, int off, int end) {
        if (end - off < 2) {
            return;
        }
        switch (b[off + 1]) {
            case '2' -> {
                if (JsonScan.indexOf(b, off, Math.min(end, off + EVENT.length), EVENT) == off) {
                    event(c, b, off, end);
                } else if (JsonScan.indexOf(b, off, Math.min(end, off + SUBSCRIBED.length), SUBSCRIBED) == off) {
                    c.ready(!c.reconnecting);
                }
            }
            case '0' -> connected(c, b, off + 2, end);
            case '4' -> c.fail("connect_error " + new String(b, off, end - off, StandardCharsets.UTF_8));
            default -> { } // disconnect, acks: not used by the benchmark's clients
        }
    }

    private static void connected(WsConnection c, byte[] b, int from, int end) {
        JsonNode ack;
        try {
            ack = JSON.readTree(b, from, end - from);
        } catch (IOException e) {
            c.fail("unparseable connect packet");
            return;
        }
        String sid = ack.path("sid").asText(null);
        boolean recovered = c.reconnecting && sid != null && sid.equals(c.sioSid);
        c.sioSid = sid;
        if (ack.hasNonNull("pid")) {
            c.sioPid = ack.get("pid").asText();
        }
        if (recovered) {
            c.ready(true);
        } else {
            c.send(WsFrames.text("42[\"subscribe\"," + JSON.createArrayNode().add(c.spec.room()).get(0) + "]"));
        }
    }

    private static void event(WsConnection c, byte[] b, int off, int end) {
        int o = JsonScan.indexOf(b, off, end, OFFSET);
        int t = JsonScan.indexOf(b, off, end, STAMP);
        // recovery offset: the last array element, a string, appended by the server
        if (end - off > 3 && b[end - 1] == ']' && b[end - 2] == '"') {
            int q = end - 3;
            while (q > off && b[q] != '"') {
                q--;
            }
            c.sioOffset = new String(b, q + 1, end - 2 - (q + 1), StandardCharsets.US_ASCII);
        }
        c.event(o < 0 ? -1 : JsonScan.number(b, o + OFFSET.length, end), t < 0 ? -1 : JsonScan.number(b, t + STAMP.length, end));
    }
}
