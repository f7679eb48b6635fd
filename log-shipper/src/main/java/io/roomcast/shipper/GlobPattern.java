package io.roomcast.shipper;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * A file pattern such as {@code /var/log/app/*.log} or {@code logs/**}{@code /api-[0-9].log}:
 * the directories before the first glob character are fixed, the rest is matched with Java's
 * {@code glob:} syntax ({@code * ? [..] {a,b} **}). Listing is bounded in depth (by the
 * pattern's number of components, or 8 below {@code **}).
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
        try {
            this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + (firstGlob < 0 ? escapeGlob(absolute.toString()) : escaped));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not a valid file pattern: " + e.getDescription());
        }
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
     * What a listing found: the regular files matching, in path order, and the entries (mostly
     * directories) that could not be read, each with its error.
     */
    record Listing(List<Path> files, Map<Path, IOException> failures) {
    }

    /**
     * The regular files matching now, in path order. A directory that cannot be read (permission
     * denied) is skipped and reported in {@link Listing#failures()}: it must not hide the
     * pattern's other directories. Entries that vanish while walked are simply not there.
     */
    Listing list() {
        List<Path> files = new ArrayList<>();
        Map<Path, IOException> failures = new LinkedHashMap<>();
        try {
            Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (matcher.matches(file) && Files.isRegularFile(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    failed(file, e);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        failed(dir, e);
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void failed(Path path, IOException e) {
                    if (path.equals(base) || !(e instanceof NoSuchFileException)) {
                        failures.put(path, e);
                    }
                }
            });
        } catch (IOException e) {
            failures.put(base, e); // the visitor never throws; kept for safety
        }
        files.sort(null);
        return new Listing(files, failures);
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
