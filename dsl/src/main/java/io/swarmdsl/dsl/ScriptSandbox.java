package io.swarmdsl.dsl;

import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.syntax.Types;

/**
 * Keeps a script from touching the machine that plans it. Scripts are the user's own code, but a
 * plan must be safe to run in CI on a pull request: no classes beyond plain values (so no
 * {@code System}, {@code File}, {@code Thread}, {@code ProcessBuilder}), and none of Groovy's
 * dynamic doors to them ({@code "ls".execute()},
 * {@code .class}, {@code evaluate}, method names computed at run time). Each refusal names its place.
 * Imports, annotations and declared types were refused before, by {@link ScriptGate}. Endless
 * loops and unbounded allocation are stopped by {@link Evaluation}'s bounds.
 */
final class ScriptSandbox extends CompilationCustomizer {
    static final String WHY = "a .swarm script may not touch the machine that plans it";

    private static final Set<String> VALUE_TYPES = Set.of(
            "java.lang.Object", "java.lang.String", "groovy.lang.GString", "java.lang.Integer", "java.lang.Long",
            "java.lang.Boolean", "java.lang.Double", "java.math.BigDecimal", "java.math.BigInteger", "java.lang.Math",
            "java.util.List", "java.util.ArrayList", "java.util.Map", "java.util.LinkedHashMap", "java.util.HashMap",
            "java.util.Set", "java.util.LinkedHashSet", "java.util.HashSet", "groovy.lang.Range", "groovy.lang.IntRange",
            "groovy.lang.Closure", "int", "long", "boolean", "double", "void");

    private static final Set<String> FORBIDDEN_METHODS = Set.of(
            "execute", "exit", "halt", "evaluate", "sleep", "wait", "notify", "notifyAll", "start", "startDaemon",
            "getClass", "forName", "newInstance", "loadClass", "defineClass", "invokeMethod", "getMetaClass",
            "setMetaClass", "getProperty", "setProperty", "getBinding", "setBinding", "toURL", "toURI", "getText",
            "getBytes", "withReader", "newReader", "withInputStream", "newInputStream", "withWriter", "newWriter",
            "eachLine", "readLines", "withOutputStream", "getRuntime", "getDeclaredMethod", "getMethod", "invoke",
            "rehydrate", "setDelegate", "getDelegate", "getOwner", "getThisObject", "asType", "with", "tap", "identity",
            "use", "mixin", "getAt", "putAt", "metaClass", "getProperties", "respondsTo", "hasProperty");

    private static final Set<String> FORBIDDEN_PROPERTIES = Set.of(
            "class", "metaClass", "classLoader", "binding", "delegate", "owner", "thisObject", "text", "bytes",
            "properties", "runtime", "declaredMethods", "methods", "out", "in", "err");

    ScriptSandbox() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new Checker(source).visitClass(classNode);
    }

    private static void refuse(SourceUnit source, ASTNode node, String message) {
        source.addError(new SyntaxException(message, node.getLineNumber(), node.getColumnNumber(),
                node.getLastLineNumber(), node.getLastColumnNumber()));
    }

    private static final class Checker extends ClassCodeVisitorSupport {
        private final SourceUnit source;

        Checker(SourceUnit source) {
            this.source = source;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitClassExpression(ClassExpression expression) {
            checkType(expression, expression.getType());
            super.visitClassExpression(expression);
        }

        @Override
        public void visitConstructorCallExpression(ConstructorCallExpression call) {
            checkType(call, call.getType());
            super.visitConstructorCallExpression(call);
        }

        @Override
        public void visitCastExpression(CastExpression expression) {
            checkType(expression, expression.getType());
            super.visitCastExpression(expression);
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression expression) {
            if (!expression.isMultipleAssignmentDeclaration()) {
                checkType(expression, expression.getVariableExpression().getOriginType());
            }
            super.visitDeclarationExpression(expression);
        }

        @Override
        public void visitStaticMethodCallExpression(StaticMethodCallExpression call) {
            checkType(call, call.getOwnerType());
            checkMethod(call, call.getMethod());
            super.visitStaticMethodCallExpression(call);
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            if (call.getLineNumber() > 0) {
                String name = call.getMethodAsString();
                if (name == null) {
                    refuse(source, call, "method names computed at run time are not allowed: " + WHY);
                } else {
                    checkMethod(call, name);
                }
            }
            super.visitMethodCallExpression(call);
        }

        @Override
        public void visitPropertyExpression(PropertyExpression expression) {
            checkProperty(expression, expression.getProperty());
            super.visitPropertyExpression(expression);
        }

        @Override
        public void visitAttributeExpression(AttributeExpression expression) {
            if (expression.getLineNumber() > 0) {
                refuse(source, expression, "field access with .@ is not allowed: " + WHY);
            }
            super.visitAttributeExpression(expression);
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression expression) {
            if (expression.getLineNumber() > 0) {
                refuse(source, expression, "method pointers (.&) are not allowed: " + WHY);
            }
            super.visitMethodPointerExpression(expression);
        }

        @Override
        public void visitBinaryExpression(BinaryExpression expression) {
            if (expression.getOperation().getType() == Types.LEFT_SQUARE_BRACKET) {
                checkProperty(expression, expression.getRightExpression());
            }
            super.visitBinaryExpression(expression);
        }

        private void checkType(ASTNode node, ClassNode type) {
            if (node.getLineNumber() > 0 && type != null && !VALUE_TYPES.contains(type.getName())
                    && !type.isScript() && !type.getName().startsWith("io.swarmdsl.")) {
                refuse(source, node, "'" + type.getNameWithoutPackage() + "' is not available: " + WHY);
            }
        }

        private void checkMethod(ASTNode node, String name) {
            if (node.getLineNumber() > 0 && FORBIDDEN_METHODS.contains(name)) {
                refuse(source, node, "'" + name + "' is not allowed: " + WHY);
            }
        }

        private void checkProperty(ASTNode node, Expression property) {
            if (node.getLineNumber() <= 0) {
                return;
            }
            if (!(property instanceof ConstantExpression constant)) {
                if (node instanceof PropertyExpression) {
                    refuse(source, node, "property names computed at run time are not allowed: " + WHY);
                }
                return;
            }
            if (FORBIDDEN_PROPERTIES.contains(String.valueOf(constant.getValue()))) {
                refuse(source, node, "'" + constant.getValue() + "' is not allowed: " + WHY);
            }
        }
    }
}
