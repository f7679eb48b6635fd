package io.roomcast.edge.session;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The bytes of one connection that its socket did not take, and what they stand for: they wait for
 * the socket's write listener, and nothing more is taken from the connection's queue meanwhile, so
 * they are bounded by what was charged (at most one flush, plus a message framed behind it). Made at
 * a short write: most connections never have one.
 *
 * <p>Thread-safety: used only by the connection's IO thread.
 */
final class Leftover {
    ByteBuffer bytes;
    final Tally tally = new Tally();

    /** The unwritten rest of the cork ({@code rest}, copied) and what the cork stood for; the caller then resets the cork. */
    Leftover(ByteBuffer rest, Tally cork) {
        bytes = ByteBuffer.allocate(rest.remaining());
        bytes.put(rest).flip();
        tally.add(cork);
    }

    /** Appends a framed message of {@code wire} bytes, written by {@code framer} into the grown buffer. */
    void append(int wire, Consumer<ByteBuffer> framer) {
        ByteBuffer grown = ByteBuffer.allocate(bytes.remaining() + wire);
        grown.put(bytes);
        framer.accept(grown);
        grown.flip();
        bytes = grown;
    }
}
