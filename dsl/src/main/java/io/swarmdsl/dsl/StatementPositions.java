package io.swarmdsl.dsl;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.DoWhileStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.LoopingStatement;
import org.codehaus.groovy.ast.stmt.WhileStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Types;

/**
 * Makes a script report where it is: before each statement, a call to {@link Evaluation#at}. Runtime
 * errors then name the exact line and column of the statement, not just a stack-trace line.
 * A statement that is a bare unknown word ({@code replication} alone) becomes a call of that keyword,
 * so a misspelt one is reported instead of silently doing nothing.
 */
final class StatementPositions extends CompilationCustomizer {
    private static final ClassNode EVALUATION = ClassHelper.make(Evaluation.class);

    StatementPositions() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitClosureExpression(ClosureExpression closure) {
                markEmptyBody(closure.getCode(), closure);
                super.visitClosureExpression(closure);
            }

            @Override
            public void visitForLoop(ForStatement loop) {
                markLoop(loop, loop);
                super.visitForLoop(loop);
            }

            @Override
            public void visitWhileLoop(WhileStatement loop) {
                markLoop(loop, loop);
                super.visitWhileLoop(loop);
            }

            @Override
            public void visitDoWhileLoop(DoWhileStatement loop) {
                markLoop(loop, loop);
                super.visitDoWhileLoop(loop);
            }

            @Override
            public void visitBlockStatement(BlockStatement block) {
                super.visitBlockStatement(block);
                List<Statement> marked = new ArrayList<>();
                for (Statement statement : block.getStatements()) {
                    if (statement.getLineNumber() > 0) {
                        marked.add(positionOf(statement));
                    }
                    marked.add(bareWordAsCall(statement));
                }
                block.getStatements().clear();
                block.getStatements().addAll(marked);
            }
        }.visitClass(classNode);
    }

    /** Every loop body reports in, so the time limit can stop {@code while (true) {}} and {@code while (true) i++}. */
    private static void markLoop(LoopingStatement loop, Statement owner) {
        if (loop.getLoopBlock() instanceof BlockStatement block) {
            markEmptyBody(block, owner);
        } else if (owner.getLineNumber() > 0) {
            BlockStatement block = new BlockStatement();
            block.addStatement(positionOf(owner));
            block.addStatement(loop.getLoopBlock());
            loop.setLoopBlock(block);
        }
    }

    /** An empty closure or loop body still reports in. */
    private static void markEmptyBody(Statement body, ASTNode owner) {
        if (body instanceof BlockStatement block && block.isEmpty() && owner.getLineNumber() > 0) {
            block.addStatement(positionOf(owner));
        }
    }

    private static Statement positionOf(ASTNode node) {
        return new ExpressionStatement(new StaticMethodCallExpression(EVALUATION, "at", new ArgumentListExpression(
                new ConstantExpression(node.getLineNumber(), true), new ConstantExpression(node.getColumnNumber(), true))));
    }

    /**
     * {@code replication} alone is a call of that keyword; {@code nodes -1}, which Groovy reads as a
     * subtraction, is the keyword with a negative value (which its rules then refuse by name).
     */
    private static Statement bareWordAsCall(Statement statement) {
        if (!(statement instanceof ExpressionStatement expression)) {
            return statement;
        }
        if (expression.getExpression() instanceof BinaryExpression minus && minus.getOperation().getType() == Types.MINUS
                && minus.getLeftExpression() instanceof VariableExpression keyword
                && keyword.getAccessedVariable() instanceof DynamicVariable
                && minus.getRightExpression() instanceof ConstantExpression number && number.getValue() instanceof Number) {
            return asCall(statement, keyword, new ArgumentListExpression(new UnaryMinusExpression(number)));
        }
        if (expression.getExpression() instanceof VariableExpression variable
                && variable.getAccessedVariable() instanceof DynamicVariable) {
            return asCall(statement, variable, ArgumentListExpression.EMPTY_ARGUMENTS);
        }
        return statement;
    }

    private static Statement asCall(Statement statement, VariableExpression variable, ArgumentListExpression arguments) {
        MethodCallExpression call = new MethodCallExpression(VariableExpression.THIS_EXPRESSION, variable.getName(),
                arguments);
        call.setImplicitThis(true);
        call.setSourcePosition(variable);
        ExpressionStatement replaced = new ExpressionStatement(call);
        replaced.setSourcePosition(statement);
        return replaced;
    }
}
