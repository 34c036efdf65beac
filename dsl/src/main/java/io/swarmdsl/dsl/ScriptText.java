package io.swarmdsl.dsl;

import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a script file: UTF-8, with or without a byte-order mark. A byte that is not UTF-8,
 * or a control character no text has (a binary file), is reported at its line and column.
 */
public final class ScriptText {
    private static final int BOM_LENGTH = 3;

    private ScriptText() {
    }

    public static String decode(String file, byte[] bytes) {
        int start = bytes.length >= BOM_LENGTH && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? BOM_LENGTH : 0;
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            throw new SpecException(placeAfter(file, out), String.format(
                    "the file is not UTF-8 text: byte 0x%02X cannot start or continue a character here", bytes[in.position()]));
        }
        decoder.flush(out);
        out.flip();
        String text = out.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                throw new SpecException(placeAfter(file, CharBuffer.wrap(text, 0, i)), String.format(
                        "the file is not a script: it holds the control character 0x%02X (a binary file?)", (int) c));
            }
        }
        return text;
    }

    /** The line and column of the character that follows {@code before}. */
    private static SourcePosition placeAfter(String file, CharSequence before) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePosition(file, line, column);
    }
}
