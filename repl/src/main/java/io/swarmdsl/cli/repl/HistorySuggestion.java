package io.swarmdsl.cli.repl;

import java.util.Iterator;
import org.jline.reader.Buffer;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.Widget;

/**
 * Ghost text from history: JLine draws the rest of the newest earlier line that starts with what is
 * typed ({@link LineReader.SuggestionType#HISTORY}), but its own reader has no key to take it. Here
 * the right arrow (and Ctrl-F, End, Ctrl-E) at the end of the line takes it, as in fish and zsh.
 */
final class HistorySuggestion {
    /** As far back as JLine looks for the suggestion it draws. */
    private static final int LOOK_BACK = 200;

    private HistorySuggestion() {
    }

    /** Turns the ghost text on and lets the keys that move right, at the end of the line, accept it. */
    static void enable(LineReader reader) {
        reader.setAutosuggestion(LineReader.SuggestionType.HISTORY);
        for (String moveRight : new String[] {LineReader.FORWARD_CHAR, LineReader.END_OF_LINE}) {
            Widget move = reader.getWidgets().get(moveRight);
            reader.getWidgets().put(moveRight, () -> accept(reader) || move.apply());
        }
    }

    private static boolean accept(LineReader reader) {
        Buffer buffer = reader.getBuffer();
        if (buffer.cursor() != buffer.length()) {
            return false;
        }
        String tail = tail(reader.getHistory(), buffer.toString());
        if (tail.isEmpty()) {
            return false;
        }
        buffer.write(tail);
        return true;
    }

    /** The rest of the newest history line that starts with {@code typed}, the line JLine shows greyed; empty when none. */
    static String tail(History history, String typed) {
        if (typed.isEmpty() || history.isEmpty()) {
            return "";
        }
        Iterator<History.Entry> entries = history.reverseIterator(history.last());
        for (int looked = 0; entries.hasNext() && looked <= LOOK_BACK; looked++) {
            String line = entries.next().line();
            if (line.startsWith(typed)) {
                return line.substring(typed.length());
            }
        }
        return "";
    }
}
