package io.roomcast.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /** Each line with what its message must name. Were one accepted, an edge would start: the timeout fails it instead of hanging. */
    @ParameterizedTest
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "edge --port notanumber | option '--port'",
            "edge --port 70000 --kafka x:1 | port must be 0..65535",
            "demo --bogus | Unknown option: '--bogus'",
            "kafka --port -5 | port must be 0..65535",
            "kafka --port 70000 --brokers 3 | port",
            "edge --kafka '' --port 1 | bootstrap.servers",
            "edge --drain-delay forever | option '--drain-delay'",
            "teleport | 'teleport'",
            "edge --namespace chat=policy:sometimes | unknown backpressure policy",
            "edge --namespace chat=partitions:x | partitions must be a number",
            "edge --jwt-secret short | secret must be at least 32 bytes",
            "edge --kafka-property acks=0 | 'acks' is set by Roomcast",
            "edge --kafka-property bootstrap.servers=elsewhere:9092 | use --kafka",
            "edge --kafka-property noequals | KEY=VALUE",
            "edge --kafka-property batch.size=64k | 'batch.size' must be of type int",
            "edge --kafka-property request.timeout.ms=soon | 'request.timeout.ms' must be of type int",
            "edge --kafka-config /nonexistent/kafka.properties | /nonexistent/kafka.properties",
            "edge --publishes-per-second 0 | publishesPerSecond must be 1..1000000",
            "edge --frames-per-second lots | option '--frames-per-second'",
            "edge --prompts-per-minute 60 | --prompts-per-minute takes two numbers",
            "edge --prompts-per-minute 0,5 | promptsPerMinutePerRoom must be 1..1000000",
            "edge --prompts-per-minute x,y | option '--prompts-per-minute'",
            "demo --kafka-config /etc/kafka.properties | '--kafka-config'",
            "demo --namespace chat=policy:sometimes | unknown backpressure policy",
            "demo --outbound-limit 0 | outboundLimit must be 1..1000000",
            "edge --drain-delay PT-5S | drainDelay must be 0..10 minutes",
            "kafka --brokers 0 | --brokers must be 1..9",
            "kafka --brokers 12 | --brokers must be 1..9",
            "kafka --brokers three | option '--brokers'",
            "edge --trusted-proxies 10.0.0.0/33 | no valid prefix length",
            "edge --trusted-proxies proxy.example.com | is not an address block",
            "edge --management-port 70000 | managementPort must be",
            "edge --management-port -2 | managementPort must be",
            "edge --presence-ttl PT0S | presence ttl must be 1s..1h",
            "edge --presence-ttl soon | option '--presence-ttl'",
            "edge --presence-max-listed -1 | presence maxListedMembers must be",
            "edge --topic-prefix bad/prefix | invalid topic name",
            "edge --max-frame-bytes 10 | --max-frame-bytes must be at least 8192",
            "edge --max-frame-bytes 4096 | --max-frame-bytes must be at least 8192: publish data may use all but 4096 bytes",
            "edge --status-interval -PT1S | statusInterval must be 0 (off) or at least 100ms",
            "edge --admin-token short | adminToken must have at least 16 characters",
            "edge --history-readers 0 | historyReaders must be 1..64",
            "edge --history-cache-bytes -1 | historyCacheBytes must be >= 0",
            "edge --max-subscriptions 0 | maxSubscriptionsPerConnection must be",
            "edge --replication-factor 0 | replication factor must be",
            "edge --min-insync-replicas 0 | min.insync.replicas must be",
            "edge --jwks-url notaurl | invalid jwksUrl",
            "edge --jwt-public-key /nonexistent.pem | cannot read the public key file /nonexistent.pem",
            "edge --allowed-origins %00 | invalid allowed origin",
            "edge --host 999.1.1.1 --port 0 | cannot listen on 999.1.1.1:0"})
    void shouldRefuseGarbageArgumentsWithAClearMessage(String line, String named) {
        StringWriter err = new StringWriter();
        int code = run(err, line.split(" "));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(named).doesNotContain("\tat io.roomcast"); // a message, not a stack trace
    }

    @Test
    void shouldRefuseADataPathJavaCannotName() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "kafka", "--data", "/nonexistent/\u0000")).isEqualTo(2);
        assertThat(err.toString()).contains("option '--data'").doesNotContain("\tat io.roomcast");
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
