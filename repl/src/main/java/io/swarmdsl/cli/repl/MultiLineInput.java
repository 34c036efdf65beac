package io.swarmdsl.cli.repl;

import org.jline.reader.EOFError;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;

/** When an input goes on: an unclosed {@code {}, {@code (}, {@code [} or quote continues on the next line. */
final class MultiLineInput {
    private MultiLineInput() {
    }

    static DefaultParser parser() {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
        parser.setEofOnUnclosedQuote(true);
        // Groovy strings keep their backslashes: the parser must not read them as escapes.
        parser.setEscapeChars(new char[0]);
        return parser;
    }

    static boolean isComplete(Parser parser, String text) {
        try {
            parser.parse(text, text.length(), Parser.ParseContext.ACCEPT_LINE);
            return true;
        } catch (EOFError e) {
            return false;
        }
    }
}
