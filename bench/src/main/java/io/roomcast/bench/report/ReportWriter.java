package io.roomcast.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes a report as {@code DIR/SCENARIO-yyyyMMdd-HHmmss.json}. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ReportWriter() {
    }

    public static Path write(Report r, Path dir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", r.scenario());
        root.put("started", r.started().toString());
        root.set("params", JSON.valueToTree(r.params()));
        root.set("environment", JSON.valueToTree(r.environment()));
        root.set("metrics", JSON.valueToTree(r.metrics()));
        root.set("results", JSON.valueToTree(r.values()));
        root.put("runCount", r.runCount());
        root.set("ranges", JSON.valueToTree(r.ranges()));
        root.set("runs", JSON.valueToTree(r.runs()));
        root.set("notes", JSON.valueToTree(r.notes()));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(r.scenario() + "-" + STAMP.format(r.started()) + ".json");
            JSON.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
    }
}
