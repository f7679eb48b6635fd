package io.roomcast.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A load agent in its own JVM: one JSON command per line on standard input, one JSON reply per
 * line on standard output. Argument: loop threads. Stops when standard input ends.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        try (AgentCommands commands = new AgentCommands(Integer.parseInt(args[0]));
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY");
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode cmd = AgentCommands.JSON.readTree(line);
                System.out.println(commands.handle(cmd));
                System.out.flush();
            }
        }
        System.exit(0);
    }
}
