import MLOpsTracker
import Testing

/// The MLflow filter language: every operator parses, every mistake names its position.
@Suite("Run filter language")
struct RunFilterTests {
  typealias C = RunFilter.Comparison

  @Test(
    "every entity and operator parses",
    arguments: [
      ("metrics.auc > 0.8", RunFilter.Entity.metric("auc"), RunFilter.Operator.greater, RunFilter.Operand.number(0.8)),
      ("metrics.loss <= -1e-3", .metric("loss"), .lessOrEqual, .number(-0.001)),
      ("metric.m >= 2", .metric("m"), .greaterOrEqual, .number(2)),
      ("metrics.m < 2", .metric("m"), .less, .number(2)),
      ("metrics.m = 2", .metric("m"), .equal, .number(2)),
      ("metrics.m != 2", .metric("m"), .notEqual, .number(2)),
      ("params.model = 'xgb'", .param("model"), .equal, .text("xgb")),
      ("params.model != \"xgb\"", .param("model"), .notEqual, .text("xgb")),
      ("tags.team LIKE 'ml%'", .tag("team"), .like, .text("ml%")),
      ("tags.team ILIKE 'ML%'", .tag("team"), .ilike, .text("ML%")),
      ("tags.`team name` IS NOT NULL", .tag("team name"), .isNotNull, .list([])),
      ("params.\"my key\" IS NULL", .param("my key"), .isNull, .list([])),
      ("status != 'FINISHED'", .attribute(.status), .notEqual, .text("FINISHED")),
      ("created > 5", .attribute(.startTime), .greater, .number(5)),
      ("`run name` LIKE 'x%'", .attribute(.runName), .like, .text("x%")),
      ("artifact_uri = 'x'", .attribute(.artifactURI), .equal, .text("x")),
      ("attributes.start_time > 1700000000000", .attribute(.startTime), .greater, .number(1_700_000_000_000)),
      ("attribute.run_name = 'baseline'", .attribute(.runName), .equal, .text("baseline")),
      ("run.run_id IN ('a1')", .attribute(.runID), .isIn, .list(["a1"])),
      ("datasets.context = 'training'", .dataset(.context), .equal, .text("training")),
      ("attributes.end_time <> 5", .attribute(.endTime), .notEqual, .number(5)),
    ])
  func parses(text: String, entity: RunFilter.Entity, op: RunFilter.Operator, value: RunFilter.Operand) throws {
    let filter = try RunFilter(parsing: text)
    #expect(filter.comparisons == [C(entity: entity, op: op, value: value)])
  }

  @Test("AND joins comparisons, in any case; an empty filter has none")
  func conjunction() throws {
    let filter = try RunFilter(parsing: "metrics.a > 1 and params.b = 'x' AND tags.c != 'y'")
    #expect(filter.comparisons.count == 3)
    #expect(try RunFilter(parsing: "   ").comparisons.isEmpty)
  }

  @Test(
    "mistakes are INVALID_ARGUMENT naming the position and the token",
    arguments: [
      ("metrics.auc >", "position 14", "end of filter"),
      ("metrics.auc > 'high'", "position 13", ">"),
      ("params.model > 'x'", "position 14", ">"),
      ("foo.bar = 1", "position 1", "foo"),
      ("metrics.a > 1 OR metrics.b > 2", "position 15", "OR"),
      ("metrics.a > 1 metrics.b > 2", "position 15", "metrics.b"),
      ("tags.t = 'unterminated", "position 10", "'unterminated"),
      ("attributes.colour = 'red'", "position 1", "attributes.colour"),
      ("params.p IN 'a'", "position 13", "a"),
      ("params.p IN ('a' 'b')", "position 18", "b"),
      ("metrics. > 1", "position 1", "metrics."),
      ("metrics.m ~ 1", "position 11", "~"),
      ("params.p NOT 'a'", "position 14", "a"),
    ])
  func errors(text: String, position: String, token: String) {
    #expect {
      _ = try RunFilter(parsing: text)
    } throws: { error in
      guard case TrackerError.invalidArgument(let field, let reason) = error else { return false }
      return field == "filter" && reason.contains(position) && reason.contains("'\(token)'")
    }
  }
}
