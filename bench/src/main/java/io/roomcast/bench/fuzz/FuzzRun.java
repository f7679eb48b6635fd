package io.roomcast.bench.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fuzz run against a live edge: a {@link Watcher} publishes and checks its events while the
 * {@link FrameFuzzer} and the {@link RecordFuzzer} send their junk; afterwards the watcher must have
 * everything it was acknowledged, a replay of the watched room from the earliest record must reach
 * live, and {@code /healthz} must answer 200. Anything else is a {@link Result#crashes() crash}.
 *
 * @param ws        the edge's WebSocket URL
 * @param bootstrap Kafka, for the record fuzzer (null: no record fuzzing)
 * @param topic     the room topic the watched room lives in
 */
public record FuzzRun(URI ws, String bootstrap, String topic, String watchedRoom, int maxFrameBytes, int connections,
                      int perConnectionRate, long seed) {

    /** What happened: the tally, the watcher's view, and every check that failed. */
    public record Result(FuzzTally tally, long watcherPublished, long watcherAcked, long watcherReceived, long foreignEvents,
                         long unreadableFrames, Duration longestSilence, long replayedEvents, Duration elapsed, List<String> crashes) {
    }

    public Result run(long frames, long records) throws InterruptedException {
        FuzzTally tally = new FuzzTally();
        List<String> crashes = new ArrayList<>();
        long start = System.nanoTime();
        try (Watcher watcher = new Watcher(ws, watchedRoom)) {
            watcher.start();
            Thread publisher = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        watcher.publishNext();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    tally.failure("watcher could not publish: " + e.getMessage());
                }
            }, "fuzz-watcher");
            publisher.setDaemon(true);
            publisher.start();
            Thread strangers = null;
            if (bootstrap != null && records > 0) {
                strangers = new Thread(() -> {
                    try (RecordFuzzer rf = new RecordFuzzer(bootstrap, topic, watchedRoom, seed)) {
                        rf.run(records, tally);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        tally.failure("record fuzzer: " + e);
                    }
                }, "fuzz-records");
                strangers.setDaemon(true);
                strangers.start();
            }
            new FrameFuzzer(ws, watchedRoom, maxFrameBytes, connections, perConnectionRate, seed).run(frames, tally);
            if (strangers != null) {
                strangers.join();
            }
            publisher.interrupt();
            publisher.join();
            if (!watcher.awaitAll(Duration.ofSeconds(60))) {
                crashes.add("watcher missed " + (watcher.acknowledged() - watcher.received()) + " of its " + watcher.acknowledged()
                        + " acknowledged events");
            }
            if (watcher.acknowledged() < watcher.published() * 9 / 10) {
                crashes.add("watcher got acks for only " + watcher.acknowledged() + " of " + watcher.published() + " publishes");
            }
            if (watcher.unreadable() > 0) {
                crashes.add("watcher could not parse " + watcher.unreadable() + " frames: every frame must be JSON a Jackson client "
                        + "with its default limits reads");
            }
            if (watcher.closedBy() != null) {
                crashes.add("watcher's connection ended: " + watcher.closedBy());
            }
            long replayed = replayFromEarliest(crashes);
            if (!healthy()) {
                crashes.add("/healthz does not answer 200");
            }
            tally.failures().forEach((what, n) -> crashes.add(what + " (" + n + "×)"));
            return new Result(tally, watcher.published(), watcher.acknowledged(), watcher.received(), watcher.foreignEvents(),
                    watcher.unreadable(), watcher.longestSilence(), replayed, Duration.ofNanos(System.nanoTime() - start), crashes);
        }
    }

    /** A new client replays the watched room from its first record (through all the junk) and must reach live. */
    private long replayFromEarliest(List<String> crashes) {
        AtomicLong events = new AtomicLong();
        CompletableFuture<String> live = new CompletableFuture<>();
        StringBuilder partial = new StringBuilder();
        WebSocket socket = null;
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String frame = partial.toString();
                        partial.setLength(0);
                        // history comes in batches: count every event of the frame
                        for (int at = frame.indexOf("\"op\":\"event\""); at >= 0; at = frame.indexOf("\"op\":\"event\"", at + 1)) {
                            events.incrementAndGet();
                        }
                        if (frame.contains("\"op\":\"live\"")) {
                            live.complete("live");
                        } else if (frame.contains("\"op\":\"error\"") || frame.contains("\"op\":\"unsubscribed\"")) {
                            live.complete(frame);
                        }
                    }
                    w.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    live.complete("closed " + code + " " + reason);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            socket.sendText("{\"op\":\"subscribe\",\"id\":1,\"room\":\"" + watchedRoom + "\",\"from\":\"earliest\"}", true);
            String outcome = live.get(120, TimeUnit.SECONDS);
            if (!outcome.equals("live")) {
                crashes.add("replay from earliest ended with " + outcome);
            }
        } catch (Exception e) {
            crashes.add("replay from earliest did not reach live: " + e);
        } finally {
            if (socket != null) {
                socket.abort();
            }
        }
        return events.get();
    }

    private boolean healthy() {
        try {
            URI health = URI.create(ws.toString().replaceFirst("^ws", "http").replaceFirst("/ws$", "/healthz"));
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
