// Scores the bundled 广汉 2023 sample units with the Java binding.
//
//   java -Drubric.jni.library=build/bindings/java/librubric_jni.so \
//        -cp build/bindings/java/rubric.jar:build/bindings/java/rubric-example.jar \
//        ScoreSample rubrics/guanghan-2023.rubric rubrics/samples/guanghan-2023-units.csv
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

import org.rubric.Evaluation;
import org.rubric.Result;
import org.rubric.Rubric;
import org.rubric.RubricException;

public class ScoreSample {
    public static void main(String[] args) {
        Path rubricPath = Path.of(args.length > 0 ? args[0] : "rubrics/guanghan-2023.rubric");
        Path factsPath = Path.of(args.length > 1 ? args[1] : "rubrics/samples/guanghan-2023-units.csv");
        try (Rubric r = Rubric.compileFile(rubricPath)) {
            long items = r.nodes().stream().filter(n -> n.kind().equals("item")).count();
            System.out.printf("%s: %s points, %d items, %d inputs%n", r.title(), r.totalPoints(), items,
                              r.inputs().size());

            // One unit, fact by fact; facts are text; score(code) is exact, total() rounded for display.
            Result res = r.evaluate("example", Map.of("decision_rules_doc", "true", "hotline_completed", "795",
                                                      "hotline_accepted", "1000"));
            BigDecimal total = res.total();
            System.out.printf("example: 1.1.1 = %s, 3.3.3 = %s, total = %s%n", res.score("1.1.1"),
                              res.score("3.3.3"), total);

            // The whole sample file in one call, as CSV (rounded for display), on an evaluation of
            // our own so that it can be cancelled: here a deadline of 60 s, checked every 100
            // units (another thread could call ev.interrupt() instead, for a Cancel button). A
            // cancelled call throws RubricException with status INTERRUPTED; ev stays usable.
            try (Evaluation ev = r.newEvaluation()) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                ev.setProgressHandler(100, () -> System.nanoTime() > deadline);
                System.out.print(ev.evaluateFile(factsPath, Rubric.Format.CSV, 0, null));
            }
        } catch (RubricException e) {
            // every diagnostic, file:line:col with a caret; or "interrupted" past the deadline
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
