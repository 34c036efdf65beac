package io.swarmdsl.dsl;

import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import io.swarmdsl.model.ClusterBuilder;
import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.model.SourcePosition;
import io.swarmdsl.model.SpecException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    /** Long enough for any real script (a 1000-node one runs in milliseconds), short enough to stop a loop. */
    public static final long TIME_LIMIT_SECONDS = 5;

    /** Compiled script classes by file name and text, the least recently used dropped past {@value #COMPILED_KEPT}. */
    private static final int COMPILED_KEPT = 64;
    private static final Map<String, Class<?>> COMPILED = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
            return size() > COMPILED_KEPT;
        }
    };

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

    public static ClusterSpec load(String file, String text) {
        return run(file, text, new ClusterBuilder()).build();
    }

    /**
     * Runs a script against an existing builder (the REPL applies one line at a time this way) and
     * returns it. On error the builder may be partly changed: callers that need all-or-nothing run
     * the whole history again on a fresh builder.
     */
    public static ClusterBuilder run(String file, String text, ClusterBuilder cluster) {
        Script script = compile(file, text);
        Evaluation evaluation = new Evaluation(file, cluster, TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS));
        evaluation.enter();
        try {
            script.run();
            evaluation.flushPending();
            return cluster;
        } catch (SpecException e) {
            throw e.placedAt(evaluation.position());
        } catch (StackOverflowError e) {
            throw new SpecException(evaluation.position(), "the script calls itself without end");
        } catch (Exception e) {
            // Groovy code may throw checked exceptions without declaring them.
            throw new SpecException(evaluation.position(), describe(e));
        } finally {
            evaluation.leave();
        }
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
        config.addCompilationCustomizers(new ScriptSandbox(), new StatementPositions());
        config.setDisabledGlobalASTTransformations(java.util.Set.of("groovy.grape.GrabAnnotationTransformation"));
        try (GroovyClassLoader loader = new GroovyClassLoader(ScriptLoader.class.getClassLoader(), config)) {
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

    private static SpecException compileError(String file, MultipleCompilationErrorsException e) {
        Message first = e.getErrorCollector().getErrors().get(0);
        if (first instanceof SyntaxErrorMessage syntax) {
            SyntaxException cause = syntax.getCause();
            String message = cause.getOriginalMessage().lines().findFirst().orElse("syntax error")
                    .replaceFirst("(?i)^(unexpected input: .*)", "$1 (a quote, bracket or brace may be missing)");
            return new SpecException(new SourcePosition(file, Math.max(1, cause.getLine()),
                    Math.max(1, cause.getStartColumn())), message);
        }
        if (first instanceof ExceptionMessage exception) {
            return new SpecException(new SourcePosition(file, 1, 1), exception.getCause().getMessage());
        }
        StringWriter text = new StringWriter();
        first.write(new PrintWriter(text));
        return new SpecException(new SourcePosition(file, 1, 1), text.toString().trim());
    }

    private static String describe(Exception e) {
        if (e instanceof groovy.lang.MissingMethodException missing) {
            return "no method " + missing.getMethod() + " for " + missing.getType().getSimpleName()
                    + " values here";
        }
        if (e instanceof groovy.lang.MissingPropertyException missing) {
            return "unknown name '" + missing.getProperty() + "'";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
