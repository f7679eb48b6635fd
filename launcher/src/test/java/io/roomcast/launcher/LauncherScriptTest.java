package io.roomcast.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./roomcast} script itself, run by bash against a copy of it in a scratch tree whose
 * {@code mvn} and {@code java} are stand-ins that record how they were called.
 */
class LauncherScriptTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path SCRIPT = ROOT.resolve("roomcast");
    private static final Path OPTIONS = Path.of("ws-edge/src/main/resources/roomcast/jvm.options");

    @TempDir
    Path tree;

    private Path bin;
    private Path log;

    private void prepareFreshCheckout() throws IOException {
        Files.copy(SCRIPT, tree.resolve("roomcast"));
        executable(tree.resolve("roomcast"));
        Files.createDirectories(tree.resolve(OPTIONS).getParent());
        Files.copy(ROOT.resolve(OPTIONS), tree.resolve(OPTIONS));
        Files.writeString(tree.resolve("pom.xml"), "<project/>");
        bin = Files.createDirectories(tree.resolve("fake-bin"));
        log = tree.resolve("calls.log");
        // A slow build, so that a second launcher started at the same time overlaps with it.
        Files.writeString(bin.resolve("mvn"), """
                #!/usr/bin/env bash
                echo "mvn start $$" >> "%1$s"
                sleep 1.5
                mkdir -p launcher/target && touch launcher/target/roomcast.jar
                echo "mvn end $$" >> "%1$s"
                """.formatted(log));
        Files.writeString(bin.resolve("java"), """
                #!/usr/bin/env bash
                echo "java $*" >> "%s"
                """.formatted(log));
        executable(bin.resolve("mvn"));
        executable(bin.resolve("java"));
    }

    private Process launch(String... args) throws IOException {
        return launchWith(null, args);
    }

    private Process launchWith(String javaOpts, String... args) throws IOException {
        var command = new java.util.ArrayList<>(List.of("bash", tree.resolve("roomcast").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tree.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        return pb.start();
    }

    @Test
    void shouldBuildOnceWhenTwoLaunchersStartTogetherOnAFreshCheckout() throws Exception {
        prepareFreshCheckout();
        Process first = launch("edge", "--port", "8081");
        Process second = launch("edge", "--port", "8082");
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
        assertThat(second.exitValue()).isZero();

        List<String> calls = Files.readAllLines(log);
        assertThat(calls.stream().filter(l -> l.startsWith("mvn start"))).hasSize(1);
        assertThat(calls.stream().filter(LauncherScriptTest::isLaunch)).hasSize(2)
                .anyMatch(l -> l.endsWith("--port 8081")).anyMatch(l -> l.endsWith("--port 8082"));
        // Neither launcher started its JVM before the build had finished.
        assertThat(calls.indexOf(calls.stream().filter(l -> l.startsWith("mvn end")).findFirst().orElseThrow()))
                .isLessThan(calls.indexOf(calls.stream().filter(LauncherScriptTest::isLaunch).findFirst().orElseThrow()));
    }

    @Test
    void shouldStartEveryJvmSoThatItExitsOnOutOfMemory() throws Exception {
        prepareFreshCheckout();
        Process p = launch("demo");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readAllLines(log)).filteredOn(LauncherScriptTest::isLaunch)
                .singleElement().asString().contains("-XX:+ExitOnOutOfMemoryError").endsWith("demo");
    }

    @Test
    void shouldStartWithTheOptionsOfTheOneOptionsFileThenJavaOpts() throws Exception {
        prepareFreshCheckout();
        Files.writeString(tree.resolve(OPTIONS), """
                # a comment line
                -XX:+ExitOnOutOfMemoryError   # a comment after an option

                -Xss512k -XX:+UseParallelGC
                -Xlog:gc*:file=gc.log
                -XX:MaxRAMPercentage=50""");
        Files.writeString(tree.resolve("-Xlog:gc-matches-as-a-pattern:file=gc.log"), ""); // what the option would expand to as a glob
        Process p = launchWith("-Xmx256m", "edge");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllLines(log)).filteredOn(LauncherScriptTest::isLaunch).singleElement().asString()
                .isEqualTo("java -XX:+ExitOnOutOfMemoryError -Xss512k -XX:+UseParallelGC -Xlog:gc*:file=gc.log -XX:MaxRAMPercentage=50 -Xmx256m -jar "
                        + tree.resolve("launcher/target/roomcast.jar") + " edge");
    }

    @Test
    void shouldPickTheParallelCollectorUnlessJavaOptsNamesOne() throws Exception {
        prepareFreshCheckout();
        Process defaults = launch("edge");
        assertThat(defaults.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Process chosen = launchWith("-Xmx2g -XX:+UseG1GC", "edge");
        assertThat(chosen.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String> javas = Files.readAllLines(log).stream().filter(LauncherScriptTest::isLaunch).toList();
        assertThat(javas).hasSize(2);
        assertThat(javas.get(0)).contains("-XX:+UseParallelGC");
        assertThat(javas.get(1)).contains("-XX:+UseG1GC", "-XX:MetaspaceSize=128m").doesNotContain("-XX:+UseParallelGC", "-Xmn");
    }

    @Test
    void shouldHandNativeMemoryBackOnlyWhenTheJvmKnowsTheOption() throws Exception {
        prepareFreshCheckout();
        Process knows = launch("edge");
        assertThat(knows.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // A JVM that refuses the option (a Java 17 update older than it) is asked, then started without it.
        Files.writeString(bin.resolve("java"), """
                #!/usr/bin/env bash
                echo "java $*" >> "%s"
                if [[ "$*" == *-version ]]; then exit 1; fi
                """.formatted(log));
        Process refuses = launch("edge");
        assertThat(refuses.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refuses.exitValue()).isZero();

        List<String> javas = Files.readAllLines(log).stream().filter(LauncherScriptTest::isLaunch).toList();
        assertThat(javas).hasSize(2);
        assertThat(javas.get(0)).contains("-XX:TrimNativeHeapInterval=5000").endsWith("edge");
        assertThat(javas.get(1)).doesNotContain("TrimNativeHeapInterval").contains("-XX:+UseParallelGC").endsWith("edge");
    }

    /** A recorded {@code java} call that starts Roomcast, not the launcher's question whether an option is known. */
    private static boolean isLaunch(String call) {
        return call.startsWith("java") && !call.endsWith("-version");
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
