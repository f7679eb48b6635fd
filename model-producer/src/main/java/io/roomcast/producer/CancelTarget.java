package io.roomcast.producer;

/** Which generation a {@code cancel} event means: by generation id, or by the prompt's offset in the room's partition. */
public record CancelTarget(GenerationId generationId, long promptOffset) {

    public static CancelTarget of(GenerationId id) {
        return new CancelTarget(id, id.offset());
    }

    public static CancelTarget ofOffset(long promptOffset) {
        return new CancelTarget(null, promptOffset);
    }

    /** Whether this cancel, read in the same partition as {@code target}, means it. */
    public boolean matches(GenerationId target) {
        return generationId == null ? target.offset() == promptOffset : generationId.equals(target);
    }
}
