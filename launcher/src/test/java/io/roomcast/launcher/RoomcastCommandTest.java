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
            "edge --kafka '' --port 1", "edge --drain-delay forever", "teleport"})
    void shouldRefuseGarbageArgumentsWithAClearMessage(String line) {
        StringWriter err = new StringWriter();
        int code = run(err, line.split(" "));
        assertThat(code).isNotZero();
        assertThat(err.toString()).isNotBlank();
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
