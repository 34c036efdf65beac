package io.swarmdsl.cli;

import io.swarmdsl.model.DidYouMean;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import io.swarmdsl.plan.Documents;
import io.swarmdsl.render.JsonRenderer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a command reports a script that is not valid: the line a user reads, or JSON for tools. */
final class InvalidScript {
    private InvalidScript() {
    }

    /** Prints {@code error} on {@code err}, as JSON when {@code json}, and gives the exit code of an invalid script. */
    static int report(SpecException error, boolean json, PrintWriter err) {
        err.println(json ? json(error) : error.describe());
        err.flush();
        return Main.INVALID;
    }

    /** {@code {"format_version": 1, "valid": false, "errors": [{file, line, column, message, suggestion}]}}; valid without an error. */
    static String json(SpecException error) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format_version", JsonRenderer.FORMAT_VERSION);
        document.put("valid", error == null);
        document.put("errors", error == null ? List.of() : List.of(describe(error)));
        return Documents.compactJson(document);
    }

    private static Map<String, Object> describe(SpecException error) {
        SourcePosition at = error.position();
        DidYouMean.Split split = DidYouMean.split(error.getMessage());
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("file", at == null ? null : at.file());
        described.put("line", at == null ? null : at.line());
        described.put("column", at == null ? null : at.column());
        described.put("message", split.message());
        described.put("suggestion", split.suggestion());
        return described;
    }
}
