package io.swarmdsl.dsl;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.Excerpt;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.security.CodeSource;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Compiles and runs a {@code .swarm} script into a {@link ClusterSpec}. Compile errors, refusals of
 * the sandbox, runtime errors and rule violations all come out as one {@link SpecException} that
 * names the place: {@code FILE:LINE:COL: message}.
 */
public final class ScriptLoader {
    /** Compiled script classes by file name and text, the least recently used dropped past {@value #COMPILED_KEPT}. */
    private static final int COMPILED_KEPT = 64;
    private static final Map<String, Class<?>> COMPILED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
            return size() > COMPILED_KEPT;
        }
    };

    private static final CompilerConfiguration NO_CLASS_PATH = new CompilerConfiguration();
    private static final String BASE_SCRIPT_TRANSFORMATION = "org.codehaus.groovy.transform.BaseScriptASTTransformation";

    private ScriptLoader() {
    }

    /**
     * Initialises Groovy's parser and compiler on a background thread. A command line calls this
     * first thing, so that on two cores the compiler's one-time set-up overlaps argument parsing.
     */
    public static void warmUpInBackground() {
        Thread warmUp = new Thread(() -> {
            try {
                compile("warm-up", "nodes 1");
            } catch (RuntimeException e) {
                // Only a head start: the real compile reports any problem.
            }
        }, "groovy-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /** A whole script: each keyword takes one value, and a script that says nothing is refused. */
    public static ClusterSpec load(String file, String text) {
        ClusterBuilder cluster = run(file, text, new ClusterBuilder(), true);
        if (cluster.saysNothing()) {
            throw new SpecException(new SourcePosition(file, 1, 1),
                    "the script is empty: it says nothing of the cluster (write its nodes, say: nodes 3)");
        }
        return cluster.build();
    }

    /**
     * Runs a script against an existing builder (the REPL applies one line at a time this way) and
     * returns it. On error the builder may be partly changed: callers that need all-or-nothing run
     * the whole history again on a fresh builder.
     */
    public static ClusterBuilder run(String file, String text, ClusterBuilder cluster) {
        return run(file, text, cluster, false);
    }

    /** {@code oneValuePerKeyword} false: the REPL's history, where a later line changes what an earlier one set. */
    private static ClusterBuilder run(String file, String text, ClusterBuilder cluster, boolean oneValuePerKeyword) {
        Script script = compile(file, text);
        Evaluation evaluation = new Evaluation(file, cluster, oneValuePerKeyword);
        Throwable failure = evaluation.runBounded(script::run);
        if (failure == null) {
            return cluster;
        }
        throw asSpecException(failure, evaluation.position());
    }

    private static SpecException asSpecException(Throwable failure, SourcePosition position) {
        if (failure instanceof SpecException e) {
            return e.placedAt(position);
        }
        if (failure instanceof StackOverflowError) {
            return new SpecException(position, "the script calls itself without end");
        }
        if (failure instanceof OutOfMemoryError) {
            return new SpecException(position, "the script needs more memory than this process has, and was stopped");
        }
        if (failure instanceof AssertionError assertion) {
            // Groovy's power assertion: "msg. Expression: false"; its first line is the message.
            String message = String.valueOf(assertion.getMessage()).replaceFirst("(?s)\\. Expression: .*", "");
            return new SpecException(position, "assertion failed: " + Excerpt.firstLine(message));
        }
        if (failure instanceof Exception e) {
            // Groovy code may throw checked exceptions without declaring them.
            return new SpecException(position, describe(e));
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(failure);
    }

    private static Script compile(String file, String text) {
        try {
            Script script = (Script) compiled(file, text).getDeclaredConstructor().newInstance();
            Binding binding = new Binding();
            // println in a script goes to stderr, so that plans on stdout stay intact.
            binding.setVariable("out", new PrintWriter(System.err, true));
            script.setBinding(binding);
            return script;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the compiled script", e);
        }
    }

    /**
     * The class of a script, compiled once per file name and text for the life of the process: a
     * long-lived one (the agent, the REPL replaying its history) compiles the same text again and
     * again. A script's class holds no state of its own; each run gets a new instance and binding.
     */
    private static Class<?> compiled(String file, String text) {
        String key = file + "\0" + text;
        synchronized (COMPILED) {
            Class<?> type = COMPILED.get(key);
            if (type != null) {
                return type;
            }
        }
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(SwarmScript.class.getName());
        config.addCompilationCustomizers(new ScriptGate(), new LongScripts(), new ScriptSandbox(), new StatementPositions());
        try (GroovyClassLoader loader = new ClosedLoader(ScriptLoader.class.getClassLoader(), config)) {
            Class<?> type = loader.parseClass(new GroovyCodeSource(text, "SwarmScript_" + Math.abs(file.hashCode()),
                    "/swarm/script"), false);
            synchronized (COMPILED) {
                COMPILED.put(key, type);
            }
            return type;
        } catch (MultipleCompilationErrorsException e) {
            throw compileError(file, e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot compile the script", e);
        }
    }

    /**
     * Compiles with a transformation loader that sees no class and no service file: no global AST
     * transformation (Grab's, or any jar's on the class path) and no local one can be loaded, so
     * none runs inside the compiler even if {@link ScriptGate} missed a way to name one. And a name
     * the script uses is never looked up as a {@code .groovy} file to compile alongside it.
     */
    private static final class ClosedLoader extends GroovyClassLoader {
        ClosedLoader(ClassLoader parent, CompilerConfiguration config) {
            super(parent, config);
            setResourceLoader(name -> null);
        }

        @Override
        protected CompilationUnit createCompilationUnit(CompilerConfiguration config, CodeSource source) {
            return new CompilationUnit(config, source, this, transformLoader());
        }
    }

    /**
     * The loader a compile looks up AST transformations with: it sees no service file, so no global
     * transformation, and loads only the one local transformation the compiler itself applies to a
     * script (its base class, given as a generated {@code @BaseScript}).
     */
    static GroovyClassLoader transformLoader() {
        ClassLoader only = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (!name.equals(BASE_SCRIPT_TRANSFORMATION)) {
                    throw new ClassNotFoundException(name);
                }
                return ScriptLoader.class.getClassLoader().loadClass(name);
            }
        };
        GroovyClassLoader transforms = new GroovyClassLoader(only, NO_CLASS_PATH, false);
        transforms.setResourceLoader(name -> null);
        return transforms;
    }

    private static final String TOO_LONG =
            "a text or name in the script is longer than 65535 characters, more than a script can hold";

    private static SpecException compileError(String file, MultipleCompilationErrorsException e) {
        Message first = e.getErrorCollector().getErrors().get(0);
        if (first instanceof SyntaxErrorMessage syntax) {
            SyntaxException cause = syntax.getCause();
            String message = Excerpt.firstLine(cause.getOriginalMessage())
                    .replaceFirst("^Unexpected character: '\\\\?(['\"])'$", "a string opened with $1 is not closed on this line")
                    .replaceFirst("(?i)^(unexpected input: .*)", "$1 (a quote, bracket or brace may be missing)")
                    .replaceFirst("^String too long\\..*", TOO_LONG);
            return new SpecException(new SourcePosition(file, Math.max(1, cause.getLine()),
                    Math.max(1, cause.getStartColumn())), message);
        }
        if (first instanceof ExceptionMessage exception) {
            String message = String.valueOf(exception.getCause().getMessage());
            return new SpecException(new SourcePosition(file, 1, 1), message.startsWith("String too long")
                    ? TOO_LONG : "the script cannot be compiled: " + Excerpt.firstLine(message));
        }
        StringWriter text = new StringWriter();
        first.write(new PrintWriter(text));
        return new SpecException(new SourcePosition(file, 1, 1), text.toString().trim());
    }

    private static final java.util.regex.Pattern CAST =
            java.util.regex.Pattern.compile("(?s)^Cannot cast object '(.*)' with class '([^']+)' to class '([^']+)'");

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String describe(Exception e) {
        if (e instanceof groovy.lang.MissingMethodException missing) {
            return "no method " + missing.getMethod() + " for " + missing.getType().getSimpleName()
                    + " values here";
        }
        if (e instanceof org.codehaus.groovy.runtime.typehandling.GroovyCastException) {
            // "Cannot cast object 'abc' with class 'java.lang.String' to class 'int'"
            java.util.regex.Matcher cast = CAST.matcher(e.getMessage());
            if (cast.find()) {
                return "a " + simpleName(cast.group(2)) + " value cannot be used as " + simpleName(cast.group(3))
                        + ": '" + Excerpt.of(cast.group(1)) + "'";
            }
        }
        if (e instanceof groovy.lang.MissingPropertyException missing) {
            return "unknown name '" + Excerpt.of(String.valueOf(missing.getProperty())) + "'";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : Excerpt.firstLine(e.getMessage());
    }
}
