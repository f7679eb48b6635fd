package io.roomcast.bench.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JvmOptionCheckTest {
    private static final List<String> EDGE = List.of("-Xmx1g", "-Xmn24m", "-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=5000");

    @Test
    void shouldKeepOptionsThisJvmTakes() {
        List<String> said = new ArrayList<>();
        assertThat(JvmOptionCheck.edgeOptions(JvmOptionCheck.thisJava(), List.of("-Xmx64m", "-XX:+UseParallelGC"), said::add))
                .containsExactly("-Xmx64m", "-XX:+UseParallelGC");
        assertThat(said).isEmpty();
    }

    @Test
    void shouldRefuseAnOptionThisJvmDoesNotKnowWithWhatTheJvmSaid() {
        assertThatThrownBy(() -> JvmOptionCheck.edgeOptions(JvmOptionCheck.thisJava(), List.of("-Xmx64m", "-XX:+NoSuchRoomcastOption"), s -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--edge-jvm")
                .hasMessageContaining("NoSuchRoomcastOption");
    }

    @Test
    void shouldDropOnlyTheTrimWhenTheJvmIsTooOldToKnowIt(@TempDir Path dir) throws Exception {
        Path oldJava = fakeJava(dir, "case \"$*\" in *TrimNativeHeapInterval*) echo \"Unrecognized VM option 'TrimNativeHeapInterval=5000'\"; exit 1;; esac; exit 0");
        List<String> said = new ArrayList<>();

        assertThat(JvmOptionCheck.edgeOptions(oldJava, EDGE, said::add)).containsExactly("-Xmx1g", "-Xmn24m");
        assertThat(said).singleElement().asString().contains("without the native-heap trim");
    }

    @Test
    void shouldNotHideAnotherRefusalBehindTheTrim(@TempDir Path dir) throws Exception {
        Path strictJava = fakeJava(dir, "case \"$*\" in *-Xmn24m*) echo 'Invalid young generation size'; exit 1;; esac; exit 0");

        assertThatThrownBy(() -> JvmOptionCheck.edgeOptions(strictJava, EDGE, s -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid young generation size");
    }

    private static Path fakeJava(Path dir, String body) throws Exception {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }
}
