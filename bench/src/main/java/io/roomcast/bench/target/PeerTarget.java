package io.roomcast.bench.target;

import io.roomcast.bench.proc.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A peer server from {@code bench/peers/}: Node.js {@code ws} broadcast, Bun's pub/sub or
 * Socket.IO 4 with connection-state recovery. None has Kafka in its path.
 */
public final class PeerTarget implements Target {
    private final String name;
    private final ChildProcess server;
    private final int port;

    private PeerTarget(String name, ChildProcess server, int port) {
        this.name = name;
        this.server = server;
        this.port = port;
    }

    public static PeerTarget start(String name, Path peersDir, Path logDir) {
        List<String> cmd = switch (name) {
            case "ws" -> List.of("node", "--expose-gc", "ws-server.js");
            case "socketio" -> List.of("node", "--expose-gc", "socketio-server.js");
            case "bun" -> List.of(bunBinary(peersDir).toString(), "bun-server.js");
            default -> throw new IllegalArgumentException("unknown peer " + name + " (ws, bun, socketio)");
        };
        ChildProcess server = ChildProcess.start(name, cmd, peersDir, logDir, Map.of());
        try {
            int port = Integer.parseInt(server.await("READY", Duration.ofSeconds(30)));
            return new PeerTarget(name, server, port);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The bun binary the npm package ships (its postinstall links the platform build over the placeholder). */
    static Path bunBinary(Path peersDir) {
        for (Path p : List.of(peersDir.resolve("node_modules/@oven/bun-linux-x64/bin/bun"),
                peersDir.resolve("node_modules/@oven/bun-linux-x64-baseline/bin/bun"),
                peersDir.resolve("node_modules/bun/bin/bun.exe"))) {
            try {
                if (Files.isExecutable(p) && Files.size(p) > 1_000_000) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no bun binary under " + peersDir + "/node_modules (run npm ci there)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String dialect() {
        return name.equals("socketio") ? "socketio" : "roomcast";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Map<String, ChildProcess> processes() {
        return Map.of("server", server);
    }

    @Override
    public EventSink sink() {
        return new WsSink(host(), port, name.equals("socketio"));
    }

    @Override
    public boolean canResume() {
        return name.equals("socketio");
    }

    @Override
    public boolean canReplay() {
        return false;
    }

    @Override
    public long heapAfterGc() {
        return Long.parseLong(server.request("heap", "heap", Duration.ofSeconds(30)).split(" ")[0]);
    }

    @Override
    public void close() {
        server.close();
    }
}
