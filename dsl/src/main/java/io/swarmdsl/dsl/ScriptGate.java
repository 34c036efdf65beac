package io.swarmdsl.dsl;

import java.util.List;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.GenericsType;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.CatchStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * The first check of a script, right after it is parsed and before any class name is resolved or
 * any AST transformation is collected: no annotation anywhere (an annotation is how a script would
 * run code inside the compiler: {@code @ASTTest}, {@code @Grab}, type-checking extensions), no
 * import or package, and no type declared besides the script itself (traits, records and enums
 * bring transformations of their own). A refusal stops the compile at once, so no later phase runs.
 * {@link ScriptLoader} also compiles with a transformation loader that can load none, in case a
 * door is missed here.
 */
final class ScriptGate extends CompilationCustomizer {

    ScriptGate() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        if (module.getPackage() != null) {
            refuse(source, module.getPackage(), "a package declaration is not allowed");
        }
        module.getImports().forEach(node -> refuse(source, node, "imports are not allowed"));
        module.getStarImports().forEach(node -> refuse(source, node, "imports are not allowed"));
        module.getStaticImports().values().forEach(node -> refuse(source, node, "imports are not allowed"));
        module.getStaticStarImports().values().forEach(node -> refuse(source, node, "imports are not allowed"));
        for (ClassNode declared : module.getClasses()) {
            if (!declared.isScript()) {
                refuse(source, declared, "declaring a class, trait, record or enum ('"
                        + declared.getNameWithoutPackage() + "') is not allowed");
            }
        }
        for (MethodNode method : classNode.getMethods()) {
            if (method.getLineNumber() > 0 && Keywords.ofScript().contains(method.getName())) {
                refuseName(source, method, "a method");
            }
        }
        new Checker(source).visitClass(classNode);
    }

    /** A method or variable named like a keyword would silently take the keyword's place. */
    private static void refuseName(SourceUnit source, ASTNode node, String what) {
        String name = node instanceof MethodNode method ? method.getName() : ((VariableExpression) node).getName();
        stop(source, node, "'" + name + "' is a keyword of the language: give " + what + " another name");
    }

    private static void refuse(SourceUnit source, ASTNode node, String what) {
        stop(source, node, what + ": " + ScriptSandbox.WHY);
    }

    /** Fatal: the compiler stops here, before the phases that resolve names or run transformations. */
    private static void stop(SourceUnit source, ASTNode node, String message) {
        source.getErrorCollector().addFatalError(new SyntaxErrorMessage(new SyntaxException(message,
                node.getLineNumber(), node.getColumnNumber(), node.getLastLineNumber(), node.getLastColumnNumber()), source));
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
        public void visitAnnotations(AnnotatedNode node) {
            refuseAnnotations(node.getAnnotations());
            if (node instanceof ClassNode type) {
                checkType(type);
            }
        }

        @Override
        protected void visitConstructorOrMethod(MethodNode node, boolean isConstructor) {
            checkType(node.getReturnType());
            checkParameters(node.getParameters());
            super.visitConstructorOrMethod(node, isConstructor);
        }

        @Override
        public void visitClosureExpression(ClosureExpression closure) {
            checkParameters(closure.getParameters());
            super.visitClosureExpression(closure);
        }

        @Override
        public void visitForLoop(ForStatement loop) {
            checkParameters(new Parameter[] {loop.getVariable()});
            super.visitForLoop(loop);
        }

        @Override
        public void visitCatchStatement(CatchStatement statement) {
            checkParameters(new Parameter[] {statement.getVariable()});
            super.visitCatchStatement(statement);
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression expression) {
            refuseAnnotations(expression.getAnnotations());
            List<org.codehaus.groovy.ast.expr.Expression> declared = expression.isMultipleAssignmentDeclaration()
                    ? expression.getTupleExpression().getExpressions() : List.of(expression.getVariableExpression());
            for (org.codehaus.groovy.ast.expr.Expression variable : declared) {
                checkType(variable.getType());
                if (variable instanceof VariableExpression named && Keywords.ofScript().contains(named.getName())) {
                    refuseName(source, named, "the variable");
                }
            }
            super.visitDeclarationExpression(expression);
        }

        @Override
        public void visitVariableExpression(VariableExpression expression) {
            checkType(expression.getOriginType());
            super.visitVariableExpression(expression);
        }

        @Override
        public void visitCastExpression(CastExpression expression) {
            checkType(expression.getType());
            super.visitCastExpression(expression);
        }

        @Override
        public void visitClassExpression(ClassExpression expression) {
            checkType(expression.getType());
            super.visitClassExpression(expression);
        }

        @Override
        public void visitConstructorCallExpression(ConstructorCallExpression call) {
            checkType(call.getType());
            super.visitConstructorCallExpression(call);
        }

        private void checkParameters(Parameter[] parameters) {
            if (parameters == null) {
                return;
            }
            for (Parameter parameter : parameters) {
                refuseAnnotations(parameter.getAnnotations());
                checkType(parameter.getOriginType());
            }
        }

        /** Type annotations ({@code (@A String) x}, {@code List<@A String>}) hide inside a type's use. */
        private void checkType(ClassNode type) {
            if (type == null) {
                return;
            }
            refuseAnnotations(type.getTypeAnnotations());
            GenericsType[] generics = type.getGenericsTypes();
            if (generics != null) {
                for (GenericsType generic : generics) {
                    if (generic.getType() != type) {
                        checkType(generic.getType());
                    }
                    if (generic.getUpperBounds() != null) {
                        for (ClassNode bound : generic.getUpperBounds()) {
                            checkType(bound);
                        }
                    }
                    checkType(generic.getLowerBound());
                }
            }
            if (type.isArray()) {
                checkType(type.getComponentType());
            }
        }

        /** Only the script's own: the compiler marks what it generates (the script's run method) with annotations of no place. */
        private void refuseAnnotations(List<AnnotationNode> annotations) {
            if (annotations != null) {
                annotations.stream().filter(a -> a.getLineNumber() > 0).findFirst()
                        .ifPresent(a -> refuse(source, a, "annotations are not allowed"));
            }
        }
    }
}
