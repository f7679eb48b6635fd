package io.roomcast.shipper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A file pattern such as {@code /var/log/app/*.log} or {@code logs/**}{@code /api-[0-9].log}:
 * the directories before the first glob character are fixed, the rest is matched with Java's
 * {@code glob:} syntax ({@code * ? [..] {a,b} **}). Listing is bounded in depth (by the
 * pattern's number of components, or 8 below {@code **}) and in results.
 * Immutable and thread-safe.
 */
final class GlobPattern {
    private static final int MAX_DEPTH_WITH_DOUBLE_STAR = 8;

    private final String text;
    private final Path base;
    private final PathMatcher matcher;
    private final int depth;

    GlobPattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("file pattern is empty");
        }
        this.text = pattern;
        Path absolute = Paths.get(pattern).toAbsolutePath().normalize();
        Path fixed = absolute.getRoot();
        int firstGlob = -1;
        for (int i = 0; i < absolute.getNameCount(); i++) {
            String part = absolute.getName(i).toString();
            if (hasGlob(part)) {
                firstGlob = i;
                break;
            }
            fixed = fixed.resolve(part);
        }
        if (firstGlob < 0) {
            this.base = absolute.getParent();
            this.depth = 1;
        } else {
            this.base = fixed;
            this.depth = absolute.toString().contains("**") ? MAX_DEPTH_WITH_DOUBLE_STAR : absolute.getNameCount() - firstGlob;
        }
        String escaped = absolute.toString().replace("\\", "\\\\");
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + (firstGlob < 0 ? escapeGlob(absolute.toString()) : escaped));
    }

    /** The directory listing starts from; it may not exist (yet). */
    Path base() {
        return base;
    }

    /** Whether the directory listing starts from exists. */
    boolean baseExists() {
        return Files.isDirectory(base);
    }

    /**
     * The regular files matching now, at most {@code limit} of them, in path order.
     *
     * @throws NoSuchFileException if the base directory does not exist
     */
    List<Path> list(int limit) throws IOException {
        List<Path> result = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, depth)) {
            walk.filter(matcher::matches)
                    .filter(Files::isRegularFile)
                    .sorted()
                    .limit(limit)
                    .forEach(result::add);
        } catch (UncheckedIOException e) {
            // A directory vanished or became unreadable while it was being walked.
            throw e.getCause();
        }
        return result;
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean hasGlob(String part) {
        return part.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static String escapeGlob(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            if ("\\*?[]{}".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
