package io.roomcast.shipper;

import io.roomcast.room.RoomName;

import java.util.Objects;

/**
 * One source of log records and the room it ships into. Immutable; validated on construction.
 *
 * @param room      the room, for example {@code logs:api}
 * @param file      a file pattern ({@link GlobPattern}), or {@code null} for stdin
 * @param stdin     whether this source is the process's standard input
 * @param multiline how lines join into records
 * @param startAt   where to begin in a file found at start-up that has never been shipped
 * @param topic     the topic, or {@code null} for the namespace's default ({@link TopicLayout})
 */
public record SourceConfig(String room, String file, boolean stdin, MultilineRule multiline, StartAt startAt, String topic) {
    /** Where to begin in a file that has no shipped position. Files appearing later always begin at their start. */
    public enum StartAt { BEGINNING, END }

    public SourceConfig {
        if (!RoomName.isValid(room)) {
            throw new IllegalArgumentException("invalid room name '" + room
                    + "': use 1-200 characters of A-Z a-z 0-9 . _ : @ / -, for example logs:api");
        }
        Objects.requireNonNull(multiline, "multiline");
        Objects.requireNonNull(startAt, "startAt");
        if (stdin == (file != null)) {
            throw new IllegalArgumentException("a source has either a file pattern or stdin, not both or neither");
        }
        if (file != null) {
            new GlobPattern(file);
        }
        if (topic != null) {
            TopicLayout.validateTopic(topic);
        }
    }

    /** A file pattern into a room with the defaults: Java multiline rule, from the beginning. */
    public static SourceConfig file(String pattern, String room) {
        return new SourceConfig(room, pattern, false, MultilineRule.java(), StartAt.BEGINNING, null);
    }

    /** Standard input into a room with the Java multiline rule. */
    public static SourceConfig stdin(String room) {
        return new SourceConfig(room, null, true, MultilineRule.java(), StartAt.BEGINNING, null);
    }

    public SourceConfig withMultiline(MultilineRule rule) {
        return new SourceConfig(room, file, stdin, rule, startAt, topic);
    }

    public SourceConfig withStartAt(StartAt start) {
        return new SourceConfig(room, file, stdin, multiline, start, topic);
    }

    public SourceConfig withTopic(String newTopic) {
        return new SourceConfig(room, file, stdin, multiline, startAt, newTopic);
    }

    /** A short description for logs and error messages. */
    public String describe() {
        return (stdin ? "stdin" : file) + " -> " + room;
    }
}
