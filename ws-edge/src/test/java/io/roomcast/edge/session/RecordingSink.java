package io.roomcast.edge.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A {@link FrameSink} that keeps every frame handed to it, decoded as JSON, with room for everything. */
final class RecordingSink implements FrameSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> frames = new ArrayList<>();

    @Override
    public synchronized boolean offer(ByteBuffer frame) {
        frames.add(decode(frame));
        return true;
    }

    @Override
    public synchronized void force(ByteBuffer frame) {
        frames.add(decode(frame));
    }

    @Override
    public synchronized void forceBatch(List<ByteBuffer> batch) {
        batch.forEach(f -> frames.add(decode(f)));
    }

    @Override
    public int free() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void whenDrained(Runnable task) {
        task.run();
    }

    synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** The only frame sent so far. */
    synchronized JsonNode only() {
        if (frames.size() != 1) {
            throw new AssertionError("expected exactly one frame, got " + frames);
        }
        return frames.get(0);
    }

    private static JsonNode decode(ByteBuffer frame) {
        ByteBuffer b = frame.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
