package io.roomcast.bench.scenario;

import picocli.CommandLine.Command;

import java.util.Map;

/**
 * {@code tokens}: shaped like LLM streams: 100 rooms × 20 subscribers, each room carrying a
 * generation at 30 tokens/s (3,000 events/s over all rooms = 60,000 deliveries/s), each event a
 * token-sized 48 B (the latency stamp plus a few characters).
 */
@Command(name = "tokens", mixinStandardHelpOptions = true, defaultValueProvider = TokensCommand.Defaults.class,
        description = "LLM-stream shaped: many rooms, each a generation at ~30 tokens/s, token-sized events.")
public final class TokensCommand extends LiveScenario {
    static final class Defaults extends ScenarioDefaults {
        Defaults() {
            super(Map.of("--rooms", "100", "--subscribers", "20", "--rate", "3000", "--payload-bytes", "48"));
        }
    }
}
