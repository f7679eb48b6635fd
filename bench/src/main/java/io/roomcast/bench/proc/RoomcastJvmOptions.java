package io.roomcast.bench.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options every Roomcast process starts with: the file {@code ./roomcast} reads and the
 * Docker image hands to {@code java} ({@code roomcast/jvm.options}, in ws-edge's resources), so the
 * benchmark's edge runs as a deployed one does. The format is the part of a {@code java} argument
 * file the project uses: options separated by white space, {@code #} to the end of the line a comment,
 * no quoting.
 */
public final class RoomcastJvmOptions {
    static final String RESOURCE = "roomcast/jvm.options";

    private RoomcastJvmOptions() {
    }

    /** The file's options, in order. Any thread. */
    public static List<String> load() {
        try (InputStream in = RoomcastJvmOptions.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** @throws IllegalArgumentException for a quote, which {@code ./roomcast}'s reading would not honour */
    static List<String> parse(String text) {
        List<String> options = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int comment = line.indexOf('#');
            String body = comment < 0 ? line : line.substring(0, comment);
            for (String option : body.strip().split("\\s+")) {
                if (option.isEmpty()) {
                    continue;
                }
                if (option.indexOf('"') >= 0 || option.indexOf('\'') >= 0) {
                    throw new IllegalArgumentException(RESOURCE + ": quoted options are not supported: " + option);
                }
                options.add(option);
            }
        }
        return List.copyOf(options);
    }
}
