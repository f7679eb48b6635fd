package io.roomcast.edge.sse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomcast.edge.session.FrameSink;
import io.roomcast.position.Epoch;
import io.roomcast.room.RoomName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol frames of one SSE stream's subscriptions, written as SSE events: each room event as
 * an unnamed event (its {@code data} the same JSON as the WebSocket's {@code event} frame) whose
 * {@code id} is the stream's position in all its rooms ({@link EventId}); {@code subscribed},
 * {@code gap}, {@code live} and {@code dropped} as named events.
 *
 * <p>Thread-safety: frames come from the live thread and workers, for several rooms at once. The
 * position update and the hand-over to the channel happen under one lock, so the ids on the wire
 * only ever move forward with the events before them.
 */
final class RoomStream implements FrameSink {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();

    private final SseChannel channel;
    private final Map<RoomName, StreamPosition> positions = new LinkedHashMap<>();
    /** Each room's epoch, from its {@code subscribed} frame. */
    private final Map<RoomName, Epoch> epochs = new HashMap<>();
    private String lastId;

    /**
     * @param rooms  the stream's rooms in request order, with the positions it resumed from (others absent)
     */
    RoomStream(SseChannel channel, List<RoomName> rooms, Map<RoomName, StreamPosition> resumedFrom) {
        this.channel = channel;
        for (RoomName room : rooms) {
            positions.put(room, resumedFrom.get(room));
        }
        positions.values().removeIf(java.util.Objects::isNull);
        this.lastId = positions.isEmpty() ? null : EventId.format(positions.values());
    }

    @Override
    public boolean offer(ByteBuffer frame) {
        EventHead head = EventHead.of(frame);
        if (head == null) {
            force(frame);
            return true;
        }
        synchronized (this) {
            String id = advance(head.room(), head.offset());
            return channel.offer(SseChannel.dataLine(frame), null, id);
        }
    }

    @Override
    public void forceBatch(List<ByteBuffer> frames) {
        for (ByteBuffer frame : frames) {
            force(frame);
        }
    }

    @Override
    public void force(ByteBuffer frame) {
        EventHead head = EventHead.of(frame);
        String data = SseChannel.dataLine(frame);
        if (head != null) {
            synchronized (this) {
                channel.force(data, null, advance(head.room(), head.offset()));
            }
            return;
        }
        JsonNode control;
        try {
            control = TREE.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RoomName room = RoomName.isValid(control.path("room").asText()) ? RoomName.of(control.path("room").asText()) : null;
        switch (control.path("op").asText()) {
            case "subscribed" -> {
                synchronized (this) {
                    if (room != null) {
                        epochs.put(room, new Epoch(control.path("epoch").asText()));
                    }
                    channel.force(data, "subscribed", null);
                    JsonNode gap = control.get("gap");
                    if (gap != null && room != null) {
                        // Delivery resumes at resumeAt in the room's (maybe new) epoch: a reconnect must not report the gap again.
                        positions.remove(room);
                        channel.force(data, "gap", advance(room, gap.path("resumeAt").asLong() - 1));
                    }
                }
            }
            case "live" -> {
                synchronized (this) {
                    String id = room == null ? lastId : advance(room, control.path("offset").asLong());
                    channel.force(data, "live", id);
                }
            }
            case "dropped" -> channel.force(data, "dropped", null);
            default -> channel.force(data, control.path("op").asText("message"), null);
        }
    }

    /** Moves the room's position forward to {@code offset}; returns the id to send. Callers hold this object's lock. */
    private String advance(RoomName room, long offset) {
        Epoch epoch = epochs.get(room);
        if (epoch == null) {
            return lastId; // cannot happen: subscribed always goes first
        }
        StreamPosition now = positions.get(room);
        positions.put(room, now == null ? new StreamPosition(room, epoch, offset) : now.advancedTo(epoch, offset));
        lastId = EventId.format(positions.values());
        return lastId;
    }

    @Override
    public int free() {
        return channel.free();
    }

    @Override
    public void whenDrained(Runnable task) {
        channel.whenDrained(task);
    }

    /** The room and offset of an {@code event} frame, read from its first fields; null for any other frame. */
    record EventHead(RoomName room, long offset) {
        static EventHead of(ByteBuffer frame) {
            byte[] bytes = new byte[frame.remaining()];
            frame.duplicate().get(bytes);
            try (JsonParser p = JSON.createParser(bytes)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                String op = null;
                String room = null;
                Long offset = null;
                while (p.nextToken() == JsonToken.FIELD_NAME && (op == null || room == null || offset == null)) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "op" -> {
                            op = p.getText();
                            if (!op.equals("event")) {
                                return null;
                            }
                        }
                        case "room" -> room = p.getText();
                        case "offset" -> offset = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
                        default -> p.skipChildren();
                    }
                }
                return "event".equals(op) && room != null && offset != null && RoomName.isValid(room)
                        ? new EventHead(RoomName.of(room), offset) : null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
