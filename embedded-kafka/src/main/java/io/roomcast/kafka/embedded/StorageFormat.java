package io.roomcast.kafka.embedded;

import kafka.tools.StorageTool$;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Formats a KRaft log directory with Kafka's own storage tool, as {@code kafka-storage.sh format} does. */
final class StorageFormat {
    private StorageFormat() {
    }

    /**
     * @param standalone true for a single node that is its own controller quorum; false when the
     *                   properties name a static voter set ({@code controller.quorum.voters})
     */
    static void format(Path propsFile, String clusterId, boolean standalone) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", propsFile.toString(), "--ignore-formatted"));
        if (standalone) {
            args.add("--standalone");
        }
        int rc = StorageTool$.MODULE$.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }
}
