package io.roomcast.bench.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.bench.proc.ChildProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An agent in a child JVM ({@link AgentMain}), for client counts beyond one process's file-descriptor limit. */
public final class RemoteAgent implements LoadAgent {
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(5);
    private final ChildProcess child;

    public RemoteAgent(String name, int threads, Path logDir) {
        this.child = ChildProcess.java(name, AgentMain.class, List.of("-Xmx1g"), List.of(Integer.toString(threads)), logDir);
        child.await("READY", Duration.ofSeconds(30));
    }

    @Override
    public ObjectNode call(JsonNode command) {
        String reply = child.request(command.toString(), "{", REPLY_TIMEOUT);
        try {
            return (ObjectNode) AgentCommands.JSON.readTree("{" + reply);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent " + child.name() + " answered garbage: " + reply, e);
        }
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public void close() {
        child.close();
    }
}
