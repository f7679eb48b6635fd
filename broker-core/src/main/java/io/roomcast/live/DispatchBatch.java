package io.roomcast.live;

/**
 * Where each poll's dispatch begins and ends. Listeners that hand events on to other threads may
 * gather what they hand on during a batch and hand it on once at its end: the edge gives each IO
 * thread one task per batch instead of one per delivery.
 *
 * <p>Threading: both methods are called on the live tail's thread, {@link #end()} also when the
 * dispatch failed. They must not block.
 */
public interface DispatchBatch {
    /** For a tail whose listeners hand nothing on in batches. */
    DispatchBatch NONE = new DispatchBatch() {
        @Override
        public void begin() {
        }

        @Override
        public void end() {
        }
    };

    /** A poll returned records; their dispatch follows. */
    void begin();

    /** The poll's records were all dispatched (or the dispatch failed): hand on what was gathered. */
    void end();
}
