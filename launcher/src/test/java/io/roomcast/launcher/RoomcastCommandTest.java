package io.roomcast.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class RoomcastCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new Roomcast());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge --port notanumber", "edge --port 70000 --kafka x:1", "demo --bogus", "kafka --port -5 --data /nonexistent/\u0000",
            "edge --kafka '' --port 1", "edge --drain-delay forever", "teleport", "edge --namespace chat=policy:sometimes",
            "edge --namespace chat=partitions:x", "edge --jwt-secret short", "edge --kafka-property acks=0",
            "edge --kafka-property bootstrap.servers=elsewhere:9092", "edge --kafka-property noequals",
            "edge --kafka-config /nonexistent/kafka.properties", "edge --publishes-per-second 0", "edge --frames-per-second lots",
            "edge --prompts-per-minute 60", "edge --prompts-per-minute 0,5", "edge --prompts-per-minute x,y",
            "demo --kafka-config /etc/kafka.properties", "demo --namespace chat=policy:sometimes", "demo --outbound-limit 0",
            "kafka --brokers 0", "kafka --brokers 12", "kafka --brokers three",
            "edge --trusted-proxies 10.0.0.0/33", "edge --trusted-proxies proxy.example.com", "edge --management-port 70000",
            "edge --management-port -2", "edge --presence-ttl PT0S", "edge --presence-ttl soon", "edge --presence-max-listed -1"})
    void shouldRefuseGarbageArgumentsWithAClearMessage(String line) {
        StringWriter err = new StringWriter();
        int code = run(err, line.split(" "));
        assertThat(code).isNotZero();
        assertThat(err.toString()).isNotBlank().doesNotContain("\tat io.roomcast"); // a message, not a stack trace
    }

    @Test
    void shouldListEverySubcommand() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Roomcast());
        cli.setOut(new PrintWriter(out));
        cli.execute("--help");
        assertThat(out.toString()).contains("demo", "kafka", "edge", "shipper");
    }
}
