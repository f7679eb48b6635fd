package io.roomcast.producer.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a plausible-sounding answer about the prompt's longest words from a fixed set of
 * sentence templates. Pure and deterministic: the same random sequence gives the same words.
 */
final class SimAnswer {
    private static final String[] OPENERS = {
        "Good question about %s.",
        "Let me think about %s for a moment.",
        "Here is how I see %s.",
        "%s is a topic with a few layers.",
    };
    private static final String[] BODY = {
        "In short, %s depends on the context you have in mind.",
        "Many people treat %s as simple, but the details matter more than they seem.",
        "A practical first step is to look at %s and %s together.",
        "The main trade-off is between %s and how much effort you can spend on it.",
        "If %s is the goal, start small, measure, and adjust as you learn.",
        "One useful way to frame %s is to ask what would change if it went away.",
        "Experience suggests that %s works best when everyone agrees on the basics first.",
        "You can compare %s with %s to see where the real differences are.",
    };
    private static final String[] CLOSERS = {
        "I hope that helps you with %s.",
        "Tell me more about %s and I can go deeper.",
        "That is the gist of %s as I understand it.",
    };
    private static final List<String> FALLBACK_TOPICS = List.of("this", "the question", "the idea");

    private SimAnswer() {
    }

    /** The answer's words (at least {@code minWords}, at most {@code maxWords}). */
    static List<String> words(String prompt, Random random, int minWords, int maxWords) {
        List<String> topics = topics(prompt);
        int target = minWords + random.nextInt(maxWords - minWords + 1);
        List<String> words = new ArrayList<>(target + 32);
        addSentence(words, OPENERS[random.nextInt(OPENERS.length)], topics, random);
        while (words.size() < target) {
            String template = words.size() + 12 >= target ? CLOSERS[random.nextInt(CLOSERS.length)] : BODY[random.nextInt(BODY.length)];
            addSentence(words, template, topics, random);
        }
        return words.subList(0, target);
    }

    private static void addSentence(List<String> words, String template, List<String> topics, Random random) {
        Object[] args = new Object[] {pick(topics, random), pick(topics, random)};
        String sentence = String.format(Locale.ROOT, template, args);
        sentence = Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
        for (String word : sentence.split(" ")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
    }

    private static String pick(List<String> topics, Random random) {
        return topics.get(random.nextInt(topics.size()));
    }

    private static List<String> topics(String prompt) {
        List<String> candidates = new ArrayList<>();
        for (String raw : prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (raw.length() >= 4 && raw.length() <= 24 && !candidates.contains(raw)) {
                candidates.add(raw);
            }
        }
        if (candidates.isEmpty()) {
            return FALLBACK_TOPICS;
        }
        candidates.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return List.copyOf(candidates.subList(0, Math.min(3, candidates.size())));
    }
}
