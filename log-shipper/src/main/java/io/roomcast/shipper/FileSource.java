package io.roomcast.shipper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows the files matching one pattern like {@code tail -F}: files are tracked by identity
 * (device and inode), so a rename keeps its position; a file that leaves the pattern (rotated
 * away or deleted) is read to its end until it has been idle for {@code rotateWait} (time in which a full in-flight
 * window paused reading does not count), then
 * closed once everything read from it is acknowledged; a file that shrinks or whose first bytes
 * change was truncated (copytruncate) and is read again from its start; new files are read from
 * their start. A missing directory is reported once and watched until it appears.
 *
 * <p>Driven by the shipper thread only.
 */
final class FileSource implements LogSource {
    private static final Logger log = LoggerFactory.getLogger(FileSource.class);
    private static final int READS_PER_POLL = 16;

    private final SourceConfig config;
    private final GlobPattern pattern;
    private final ShipperSettings settings;
    private final ShipperMetrics metrics;
    private final Map<FileIdentity, TrackedFile> files = new LinkedHashMap<>();
    private final Set<FileIdentity> unreadable = new HashSet<>();
    private final Set<Path> unlistable = new HashSet<>();
    private final Set<FileIdentity> skipped = new HashSet<>();
    /**
     * Files found at start-up that could not be followed then (over {@code maxOpenFiles}, unreadable),
     * with what was shipped from them (null: nothing). When they open later they resume there, as at
     * start-up; from byte 0 they would ship their lines again. Only files of the start-up listing,
     * forgotten when they leave the pattern.
     */
    private final Map<FileIdentity, ShippedPosition> waitingSinceStart = new HashMap<>();
    private Map<FileIdentity, Path> discovered = Map.of();
    private boolean missing;
    private boolean overLimit;

    /** A followed file: its tail, its open channel and where it was last seen. */
    private static final class TrackedFile {
        final Tail tail;
        final FileInput input;
        Path path;
        long basePosition;
        long baseLineNo;
        HeadFingerprint knownHead;
        boolean gone;
        boolean finished;

        TrackedFile(Tail tail, FileInput input, Path path) {
            this.tail = tail;
            this.input = input;
            this.path = path;
        }
    }

    FileSource(SourceConfig config, ShipperSettings settings, ShipperMetrics metrics) {
        this.config = config;
        this.pattern = new GlobPattern(config.file());
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public SourceConfig config() {
        return config;
    }

    @Override
    public Set<FileIdentity> discover() {
        discovered = list();
        return discovered.keySet();
    }

    @Override
    public void start(Map<FileIdentity, ShippedPosition> shipped, long nowNanos) {
        discovered.forEach((id, path) -> {
            if (!open(id, path, shipped.get(id), true, nowNanos)) {
                waitingSinceStart.put(id, shipped.get(id));
            }
        });
        discovered = Map.of();
    }

    @Override
    public void rescan(long nowNanos, Tail.RecordSink sink) {
        Map<FileIdentity, Path> now = list();
        skipped.retainAll(now.keySet());
        waitingSinceStart.keySet().retainAll(now.keySet());
        now.forEach((id, path) -> {
            TrackedFile file = files.get(id);
            if (file == null) {
                boolean sinceStart = waitingSinceStart.containsKey(id);
                if (open(id, path, waitingSinceStart.get(id), sinceStart, nowNanos)) {
                    waitingSinceStart.remove(id);
                }
            } else if (!file.path.equals(path) || file.gone) {
                log.atInfo().addKeyValue("room", config.room()).addKeyValue("from", file.path).addKeyValue("to", path)
                        .log("file renamed within the pattern");
                file.path = path;
                file.gone = false;
                file.finished = false;
                file.tail.rename(path.toString());
            }
        });
        for (Map.Entry<FileIdentity, TrackedFile> e : files.entrySet()) {
            TrackedFile file = e.getValue();
            if (!now.containsKey(e.getKey()) && !file.gone) {
                file.gone = true;
                metrics.fileGone();
                log.atInfo().addKeyValue("room", config.room()).addKeyValue("file", file.path)
                        .addKeyValue("position", file.tail.readPosition())
                        .log("file left the pattern (rotated or deleted); reading it to its end");
            }
            if (!file.gone && !file.finished) {
                checkHead(file, nowNanos, sink);
            }
        }
    }

    @Override
    public boolean poll(long nowNanos, byte[] scratch, InFlightWindow window, Tail.RecordSink sink) {
        boolean progress = false;
        List<TrackedFile> order = new ArrayList<>(files.values());
        // The rest of a rotated file goes before its successor's first lines.
        order.sort(Comparator.comparing((TrackedFile f) -> !f.gone));
        for (TrackedFile file : order) {
            try {
                progress |= poll(file, nowNanos, scratch, window, sink);
            } catch (IOException e) {
                metrics.readError();
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("file", file.path)
                        .addKeyValue("error", e.toString()).log("cannot read file; dropping it");
                close(file);
            }
        }
        return progress;
    }

    private boolean poll(TrackedFile file, long nowNanos, byte[] scratch, InFlightWindow window, Tail.RecordSink sink)
            throws IOException {
        Tail tail = file.tail;
        if (!file.finished && file.input.size() < tail.readPosition()) {
            truncated(file, nowNanos, sink, "file shrank below the read position");
        }
        boolean progress = false;
        for (int i = 0; i < READS_PER_POLL && !file.finished && window.hasRoom(); i++) {
            int n = tail.read(scratch, window, nowNanos, sink);
            if (n <= 0) {
                break;
            }
            progress = true;
        }
        tail.flushIdle(nowNanos, window, sink);
        // Idle counts only while reading was possible (a stalled Kafka pauses it), and the end is checked as well:
        // a rotated file closed early loses its unread lines for good.
        if (file.gone && !file.finished && tail.idleNanos(nowNanos) >= settings.rotateWait().toNanos()
                && tail.readPosition() >= file.input.size()) {
            tail.flushAll(nowNanos, sink);
            file.finished = true;
        }
        if (file.finished && tail.drained()) {
            log.atInfo().addKeyValue("room", config.room()).addKeyValue("file", file.path)
                    .addKeyValue("position", tail.readPosition()).log("finished rotated file");
            close(file);
        }
        return progress;
    }

    @Override
    public Collection<Tail> tails() {
        return files.values().stream().map(f -> f.tail).toList();
    }

    @Override
    public void resync(Map<FileIdentity, ShippedPosition> shipped) {
        for (TrackedFile file : files.values()) {
            ShippedPosition position = shipped.get(file.tail.identity());
            long start = file.basePosition;
            long lineNo = file.baseLineNo;
            if (position != null) {
                Long checked = validate(file, position);
                if (checked != null) {
                    start = checked;
                    lineNo = position.lineNo();
                } else {
                    start = 0;
                    lineNo = 0;
                }
            }
            file.tail.reposition(start, lineNo);
            file.finished = false;
            file.knownHead = null;
        }
    }

    @Override
    public boolean finished() {
        return false;
    }

    @Override
    public void close() {
        new ArrayList<>(files.values()).forEach(this::close);
    }

    /** Starts following {@code path}; false when it cannot be followed now (over the limit, unreadable, replaced). */
    private boolean open(FileIdentity id, Path path, ShippedPosition shipped, boolean atStartUp, long nowNanos) {
        if (files.size() >= settings.maxOpenFiles()) {
            if (skipped.add(id)) { // counted once per file, not at every scan
                metrics.fileSkipped();
            }
            if (!overLimit) {
                overLimit = true;
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("pattern", pattern)
                        .addKeyValue("maxOpenFiles", settings.maxOpenFiles()).log("too many files match; skipping the rest");
            }
            return false;
        }
        skipped.remove(id);
        FileInput input;
        try {
            input = FileInput.open(path);
            if (!FileIdentity.of(path).equals(id)) {
                input.close();
                return false; // replaced between listing and opening; the next scan sees the new file
            }
        } catch (IOException e) {
            if (unreadable.size() >= settings.maxOpenFiles()) {
                unreadable.clear();
            }
            if (unreadable.add(id)) { // report once, retry quietly at every scan
                metrics.readError();
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("file", path).addKeyValue("error", e.toString())
                        .log("cannot open file; retrying at every scan");
            }
            return false;
        }
        unreadable.remove(id);
        try {
            long position = 0;
            long lineNo = 0;
            if (shipped != null) {
                TrackedFile probe = new TrackedFile(null, input, path);
                Long checked = validate(probe, shipped);
                position = checked == null ? 0 : checked;
                lineNo = checked == null ? 0 : shipped.lineNo();
            } else if (atStartUp && config.startAt() == SourceConfig.StartAt.END) {
                position = input.size();
            }
            Tail tail = new Tail(id, path.toString(), input, settings, config.multiline(), metrics, position, lineNo, nowNanos);
            TrackedFile file = new TrackedFile(tail, input, path);
            file.basePosition = position;
            file.baseLineNo = lineNo;
            files.put(id, file);
            metrics.fileOpened();
            log.atInfo().addKeyValue("room", config.room()).addKeyValue("file", path).addKeyValue("identity", id)
                    .addKeyValue("position", position).log("following file");
            return true;
        } catch (IOException e) {
            metrics.readError();
            log.atWarn().addKeyValue("room", config.room()).addKeyValue("file", path).addKeyValue("error", e.toString())
                    .log("cannot read file");
            closeQuietly(input);
            return false;
        }
    }

    /** The shipped position if the file still holds what was shipped from it; {@code null} if it was truncated or replaced. */
    private Long validate(TrackedFile file, ShippedPosition shipped) {
        try {
            long size = file.input.size();
            if (size < shipped.position()) {
                metrics.fileTruncated();
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("file", file.path).addKeyValue("size", size)
                        .addKeyValue("shipped", shipped.position()).log("file is shorter than its shipped position; reading it from its start");
                return null;
            }
            if (shipped.head() != null && !shipped.head().matches(file.input.channel())) {
                metrics.fileTruncated();
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("file", file.path)
                        .log("file's first bytes differ from the shipped ones (rewritten or inode reused); reading it from its start");
                return null;
            }
            return shipped.position();
        } catch (IOException e) {
            metrics.readError();
            return null;
        }
    }

    /** Detects a truncation that the file has already outgrown again, by its first bytes. */
    private void checkHead(TrackedFile file, long nowNanos, Tail.RecordSink sink) {
        long read = file.tail.readPosition();
        if (read == 0) {
            return;
        }
        try {
            if (file.knownHead != null && !file.knownHead.matches(file.input.channel())) {
                truncated(file, nowNanos, sink, "file's first bytes changed");
            } else if (file.knownHead == null || file.knownHead.length() < Math.min(read, HeadFingerprint.MAX_LENGTH)) {
                file.knownHead = file.input.head(read);
            }
        } catch (IOException e) {
            metrics.readError();
        }
    }

    private void truncated(TrackedFile file, long nowNanos, Tail.RecordSink sink, String why) {
        metrics.fileTruncated();
        log.atWarn().addKeyValue("room", config.room()).addKeyValue("file", file.path)
                .addKeyValue("position", file.tail.readPosition()).log(why + " (truncated); reading it from its start");
        file.tail.flushAll(nowNanos, sink);
        file.tail.restartFromBeginning();
        file.basePosition = 0;
        file.baseLineNo = 0;
        file.knownHead = null;
    }

    private Map<FileIdentity, Path> list() {
        if (!pattern.baseExists()) {
            if (!missing) {
                missing = true;
                metrics.sourceMissing();
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("directory", pattern.base())
                        .log("directory does not exist; waiting for it to appear");
            }
            return Map.of();
        }
        if (missing) {
            missing = false;
            log.atInfo().addKeyValue("room", config.room()).addKeyValue("directory", pattern.base()).log("directory appeared");
        }
        GlobPattern.Listing listing = pattern.list();
        Map<FileIdentity, Path> result = new LinkedHashMap<>();
        for (Path path : listing.files()) {
            try {
                result.putIfAbsent(FileIdentity.of(path), path);
            } catch (IOException vanished) {
                // Deleted between listing and reading its attributes: it is not there.
            }
        }
        listing.failures().forEach((path, e) -> {
            if (unlistable.add(path)) { // report once, retry quietly at every scan
                metrics.readError();
                log.atWarn().addKeyValue("room", config.room()).addKeyValue("pattern", pattern).addKeyValue("directory", path)
                        .addKeyValue("error", e.toString()).log("cannot list directory; skipping it and retrying at every scan");
            }
        });
        unlistable.retainAll(listing.failures().keySet());
        // Keep following what is followed under them: an unreadable directory must not look like rotation.
        files.forEach((id, f) -> {
            if (!f.gone && !result.containsKey(id) && listing.failures().keySet().stream().anyMatch(f.path::startsWith)) {
                result.put(id, f.path);
            }
        });
        return result;
    }

    private void close(TrackedFile file) {
        files.remove(file.tail.identity());
        closeQuietly(file.input);
        metrics.fileClosed();
    }

    private static void closeQuietly(FileInput input) {
        try {
            input.close();
        } catch (IOException ignored) {
            // closing a read-only channel has nothing to lose
        }
    }
}
