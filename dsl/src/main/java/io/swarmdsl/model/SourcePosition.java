package io.swarmdsl.model;

/** Where in a script something was written; printed the way compilers do: {@code FILE:LINE:COL}. */
public record SourcePosition(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
