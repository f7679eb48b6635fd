package io.roomcast.producer;

import io.roomcast.testkit.ChildJvm;
import io.roomcast.testkit.TestKafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A model producer in a child JVM on the test broker: for the tests that kill or stall a producer. */
final class ProducerProcess {
    private ProducerProcess() {
    }

    /** Starts {@code ProducerCommand} with {@code --kafka}, {@code --no-log-events} and {@code args}. */
    static ChildJvm start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("--kafka", TestKafka.bootstrapServers(), "--no-log-events"));
        command.addAll(List.of(args));
        return ChildJvm.start(name, List.of(), ProducerCommand.class.getName(), command);
    }
}
