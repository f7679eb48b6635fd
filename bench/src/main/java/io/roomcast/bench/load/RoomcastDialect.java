package io.roomcast.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

import static io.roomcast.bench.load.JsonScan.ANY_OP;
import static io.roomcast.bench.load.JsonScan.EVENT_OP;
import static io.roomcast.bench.load.JsonScan.OFFSET;
import static io.roomcast.bench.load.JsonScan.STAMP;

/**
 * The Roomcast wire protocol (docs/protocol.md), as far as a subscriber needs it: subscribe live,
 * from earliest or resuming {@code after} the last offset seen in its epoch. Event frames, alone
 * or in batches, are scanned without parsing; every other frame is parsed with Jackson.
 */
public final class RoomcastDialect implements Dialect {
    public static final RoomcastDialect INSTANCE = new RoomcastDialect();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EVENT_START = "{\"op\":\"event\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RoomcastDialect() {
    }

    @Override
    public String path() {
        return "/ws";
    }

    @Override
    public boolean canResume() {
        return true;
    }

    @Override
    public void onOpen(WsConnection c) {
        ObjectNode sub = JSON.createObjectNode().put("op", "subscribe").put("id", 1).put("room", c.spec.room());
        if (c.reconnecting && c.epoch != null && c.lastOffset >= 0) {
            sub.putObject("from").put("after", c.lastOffset).put("epoch", c.epoch);
        } else if (c.spec.earliest()) {
            sub.put("from", "earliest");
        }
        c.send(WsFrames.text(sub.toString()));
    }

    @Override
    public void onText(WsConnection c, byte[] b, int off, int len) {
        int end = off + len;
        if (startsWith(b, off, end, EVENT_START)) {
            events(c, b, off, end);
        } else if (len > 0 && b[off] == '[' && JsonScan.count(b, off, end, ANY_OP) == JsonScan.count(b, off, end, EVENT_OP)) {
            events(c, b, off, end);
        } else {
            parsed(c, b, off, len);
        }
    }

    private static void events(WsConnection c, byte[] b, int from, int to) {
        int i = JsonScan.indexOf(b, from, to, EVENT_OP);
        while (i >= 0) {
            int next = JsonScan.indexOf(b, i + EVENT_OP.length, to, EVENT_OP);
            int end = next < 0 ? to : next;
            int o = JsonScan.indexOf(b, i, end, OFFSET);
            int t = JsonScan.indexOf(b, i, end, STAMP);
            c.event(o < 0 ? -1 : JsonScan.number(b, o + OFFSET.length, end), t < 0 ? -1 : JsonScan.number(b, t + STAMP.length, end));
            i = next;
        }
    }

    private static void parsed(WsConnection c, byte[] b, int off, int len) {
        JsonNode root;
        try {
            root = JSON.readTree(b, off, len);
        } catch (IOException e) {
            c.fail("unparseable frame");
            return;
        }
        if (root.isArray()) {
            root.forEach(frame -> one(c, frame));
        } else {
            one(c, root);
        }
    }

    private static void one(WsConnection c, JsonNode f) {
        switch (f.path("op").asText()) {
            case "event" -> c.event(f.path("offset").asLong(-1), f.path("data").path("t").asLong(-1));
            case "subscribed" -> {
                if (f.hasNonNull("epoch")) {
                    c.epoch = f.get("epoch").asText();
                }
                c.ready(f.path("recovered").asBoolean(true) && !f.has("gap"));
            }
            case "live" -> c.lastOffset = Math.max(c.lastOffset, f.path("offset").asLong(-1));
            case "error" -> {
                if (!c.isReady()) {
                    c.fail("error " + f.path("code").asText() + ": " + f.path("message").asText());
                }
            }
            default -> { } // pong, reconnect, unsubscribed: nothing to measure
        }
    }

    private static boolean startsWith(byte[] b, int off, int end, byte[] prefix) {
        if (end - off < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
