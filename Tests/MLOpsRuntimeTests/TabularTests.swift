import Foundation
import MLOpsRuntime
import Testing

/// CSV rows become the model's input tensors, and outputs become rows again.
@Suite("Tabular input and output")
struct TabularTests {
  @Test("quoted cells, doubled quotes and CRLF parse as RFC 4180 says")
  func quoting() throws {
    let table = try CSVTable(parsing: "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n1,\n")
    #expect(table.header == ["a", "b"])
    #expect(table.rows == [["x, y", "say \"hi\""], ["1", ""]])
  }

  @Test("a row with the wrong number of cells is named by its line")
  func raggedRow() {
    #expect(throws: ModelError(.invalidInput, "CSV row 3 has 1 cells; the header has 2")) {
      try CSVTable(parsing: "a,b\n1,2\n3\n")
    }
  }

  @Test("columns named after the inputs feed a multi-input pipeline, empty cells as NaN")
  func byName() throws {
    let model = try Model(bytes: try Fixture.load("column_transformer_pipeline").model)
    let table = try CSVTable(parsing: "plan,city,tenure,income,age\npro,paris,3,22000,\nfree,lyon,12,18000,40\n")
    let feeds = try TabularFeeds.make(for: model, table: table)
    #expect(feeds["city"] == Tensor(shape: [2, 1], strings: ["paris", "lyon"]))
    guard case .float(let age) = feeds["age"]?.data else {
      Issue.record("age should be float")
      return
    }
    #expect(age[0].isNaN && age[1] == 40)
    let rows = PredictionRows(outputs: try model.run(feeds), order: model.outputs)
    #expect(try rows.jsonLines().count == 2)
    #expect(rows.csvLines().first == "output_label,output_probability.0,output_probability.1")
  }

  @Test("a single 2-D input takes every column in order")
  func singleInput() throws {
    let model = try Model(bytes: try Fixture.load("linear_regression").model)
    let header = (0..<8).map { "f\($0)" }.joined(separator: ",")
    let feeds = try TabularFeeds.make(
      for: model, table: try CSVTable(parsing: header + "\n" + (1...8).map(String.init).joined(separator: ",") + "\n"))
    #expect(feeds[model.inputs[0].name] == Tensor(shape: [1, 8], floats: (1...8).map(Float.init)))
  }

  @Test("a non-numeric cell is named by its line and column in the file")
  func badNumber() throws {
    let model = try Model(bytes: try Fixture.load("linear_regression").model)
    let header = (0..<8).map { "f\($0)" }.joined(separator: ",")
    do {
      _ = try TabularFeeds.make(for: model, table: try CSVTable(parsing: header + "\n1,2,3,4,5,6,7,8\n1,2,3,x,5,6,7,8\n"))
      Issue.record("a non-numeric cell was accepted")
    } catch let error as ModelError {
      #expect("\(error)".contains("line 3, column 'f3': 'x' is not a number"), "\(error)")
    }
  }
}
