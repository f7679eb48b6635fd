package io.roomcast.shipper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open log file, read at explicit positions. The channel stays open while the file is
 * followed, so a renamed or deleted file can still be read to its end (on Unix).
 */
final class FileInput implements ByteInput {
    private final FileChannel channel;

    private FileInput(FileChannel channel) {
        this.channel = channel;
    }

    static FileInput open(Path path) throws IOException {
        return new FileInput(FileChannel.open(path, StandardOpenOption.READ));
    }

    FileChannel channel() {
        return channel;
    }

    long size() throws IOException {
        return channel.size();
    }

    @Override
    public int read(long position, byte[] target, int length) throws IOException {
        int n = channel.read(ByteBuffer.wrap(target, 0, length), position);
        return Math.max(n, 0);
    }

    @Override
    public HeadFingerprint head(long upTo) throws IOException {
        return upTo <= 0 ? null : HeadFingerprint.read(channel, upTo);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
