package io.roomcast.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomcast.bench.proc.Proc;

/** The agent inside the benchmark's own process. */
public final class LocalAgent implements LoadAgent {
    private final AgentCommands commands;

    public LocalAgent(int threads) {
        this.commands = new AgentCommands(threads);
    }

    @Override
    public ObjectNode call(JsonNode command) {
        return commands.handle(command);
    }

    @Override
    public long pid() {
        return Proc.self();
    }

    @Override
    public void close() {
        commands.close();
    }
}
