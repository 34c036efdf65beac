package io.swarmdsl.dsl;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.VariableScope;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.EmptyExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

/**
 * A script of thousands of statements would make a method larger than the JVM's 64 KB. A long
 * script's top level is cut into pieces, each a block of its own ({@code { … }.call()}), so each
 * piece is a method of its own. Variables declared at the top level are declared before the
 * pieces and assigned where they were declared, so every later piece still sees them.
 */
final class LongScripts extends CompilationCustomizer {
    /** Statements per piece: far below the limit even with the place each statement reports. */
    static final int PIECE = 250;

    LongScripts() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        MethodNode run = classNode.getMethod("run", Parameter.EMPTY_ARRAY);
        if (run == null || !(run.getCode() instanceof BlockStatement block) || block.getStatements().size() <= PIECE) {
            return;
        }
        List<Statement> declarations = new ArrayList<>();
        List<Statement> pieces = new ArrayList<>();
        List<Statement> statements = block.getStatements();
        for (int start = 0; start < statements.size(); start += PIECE) {
            BlockStatement piece = new BlockStatement();
            for (Statement statement : statements.subList(start, Math.min(statements.size(), start + PIECE))) {
                piece.addStatement(hoisted(statement, declarations));
            }
            ClosureExpression closure = new ClosureExpression(Parameter.EMPTY_ARRAY, piece);
            closure.setVariableScope(new VariableScope());
            ExpressionStatement call = new ExpressionStatement(
                    new MethodCallExpression(closure, "call", ArgumentListExpression.EMPTY_ARGUMENTS));
            call.setSourcePosition(piece.getStatements().get(0));
            pieces.add(call);
        }
        List<Statement> all = new ArrayList<>(declarations);
        all.addAll(pieces);
        statements.clear();
        statements.addAll(all);
    }

    /** {@code def x = 1} becomes {@code x = 1}, with {@code def x} added to {@code declarations}. */
    private static Statement hoisted(Statement statement, List<Statement> declarations) {
        if (!(statement instanceof ExpressionStatement expression)
                || !(expression.getExpression() instanceof DeclarationExpression declaration)) {
            return statement;
        }
        Expression target = declaration.isMultipleAssignmentDeclaration()
                ? declaration.getTupleExpression() : declaration.getVariableExpression();
        List<Expression> variables = target instanceof TupleExpression tuple ? tuple.getExpressions() : List.of(target);
        TupleExpression assigned = new TupleExpression();
        for (Expression variable : variables) {
            VariableExpression declared = (VariableExpression) variable;
            VariableExpression alone = new VariableExpression(declared.getName(), declared.getOriginType());
            alone.setSourcePosition(declared);
            DeclarationExpression declareOnly = new DeclarationExpression(alone,
                    Token.newSymbol(Types.ASSIGN, -1, -1), EmptyExpression.INSTANCE);
            declareOnly.setSourcePosition(declared);
            declarations.add(new ExpressionStatement(declareOnly));
            assigned.addExpression(new VariableExpression(declared.getName()));
        }
        Expression left = declaration.isMultipleAssignmentDeclaration() ? assigned : assigned.getExpression(0);
        BinaryExpression assignment = new BinaryExpression(left, Token.newSymbol(Types.ASSIGN, -1, -1),
                declaration.getRightExpression());
        assignment.setSourcePosition(declaration);
        ExpressionStatement replaced = new ExpressionStatement(assignment);
        replaced.setSourcePosition(statement);
        return replaced;
    }
}
