package io.roomcast.edge.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket message carrying {@code count} frames: a JSON array of them, or the frame itself
 * when it travels alone (the protocol's batch form, which every client accepts).
 *
 * @param message the bytes to send
 * @param count   how many frames it carries
 */
public record FrameBatch(ByteBuffer message, int count) {

    /**
     * Joins {@code frames}, in order, into as few messages as possible of at most {@code maxBytes}
     * each; a frame that alone is larger travels alone.
     */
    public static List<FrameBatch> of(List<ByteBuffer> frames, int maxBytes) {
        List<FrameBatch> batches = new ArrayList<>();
        int start = 0;
        while (start < frames.size()) {
            int end = start;
            long bytes = 1; // '[' and, per frame, its bytes and a ',' or the closing ']'
            do {
                bytes += frames.get(end).remaining() + 1;
                end++;
            } while (end < frames.size() && bytes + frames.get(end).remaining() + 1 <= maxBytes);
            batches.add(end - start == 1
                    ? new FrameBatch(frames.get(start), 1)
                    : new FrameBatch(join(frames.subList(start, end), (int) bytes), end - start));
            start = end;
        }
        return batches;
    }

    private static ByteBuffer join(List<ByteBuffer> frames, int bytes) {
        ByteBuffer out = ByteBuffer.allocate(bytes);
        out.put((byte) '[');
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            out.put(frames.get(i).duplicate());
        }
        out.put((byte) ']');
        return out.flip().asReadOnlyBuffer();
    }
}
