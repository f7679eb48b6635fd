package io.roomcast.shipper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * What makes a file the same file across renames: device and inode on Unix
 * ({@code unix:dev}, {@code unix:ino}), otherwise the file system's {@code fileKey}. Written to
 * the record header {@code src}, so its text form {@link #key()} must stay stable.
 *
 * @param key {@code dev:ino} on Unix, the file key's text elsewhere, or {@code stdin:<session>}
 */
record FileIdentity(String key) {
    FileIdentity {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty file identity");
        }
    }

    /** The identity of the file at {@code path} (following symbolic links). */
    static FileIdentity of(Path path) throws IOException {
        try {
            Map<String, Object> attrs = Files.readAttributes(path, "unix:dev,ino");
            return new FileIdentity(attrs.get("dev") + ":" + attrs.get("ino"));
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            Object fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            // Without a file key (Windows) a rename looks like a new file; documented as a limit.
            return new FileIdentity(fileKey != null ? fileKey.toString() : "path:" + path.toAbsolutePath());
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
