package io.swarmdsl.cli.repl;

import io.swarmdsl.dsl.Keywords;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.LineReader;
import org.jline.reader.impl.DefaultHighlighter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** Colours a line as it is typed: the language's keywords, strings, numbers, REPL commands and comments. */
final class SwarmHighlighter extends DefaultHighlighter {
    private static final Pattern TOKENS = Pattern.compile(
            "(//.*)|('(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?)|(^\\s*:[a-z]+)|\\b(\\d+)\\b|\\b([A-Za-z_][A-Za-z0-9_]*)\\b");
    private static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    private static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
    private static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT);

    private final Set<String> keywords = new HashSet<>();

    SwarmHighlighter() {
        Keywords.vocabulary().values().forEach(words -> keywords.addAll(words.keySet()));
    }

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        return highlight(buffer);
    }

    AttributedString highlight(String buffer) {
        AttributedStringBuilder out = new AttributedStringBuilder();
        Matcher token = TOKENS.matcher(buffer);
        int from = 0;
        while (token.find()) {
            out.append(buffer.substring(from, token.start()));
            AttributedStyle style = token.group(1) != null ? COMMENT
                    : token.group(2) != null ? STRING
                    : token.group(3) != null ? COMMAND
                    : token.group(4) != null ? NUMBER
                    : keywords.contains(token.group(5)) ? KEYWORD : AttributedStyle.DEFAULT;
            out.styled(style, token.group());
            from = token.end();
        }
        out.append(buffer.substring(from));
        return out.toAttributedString();
    }
}
