package io.roomcast.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One process's share of the simulated clients, driven by {@link AgentCommands} JSON commands. */
public interface LoadAgent extends AutoCloseable {
    ObjectNode call(JsonNode command);

    /** The agent's process id, for its CPU time. */
    long pid();

    @Override
    void close();
}
