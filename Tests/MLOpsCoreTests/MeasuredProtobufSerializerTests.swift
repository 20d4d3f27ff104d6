import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf
import Testing

/// Every service answers through ``MeasuredProtobufSerializer``, so its bytes must be exactly
/// SwiftProtobuf's for every kind of field our protos use: nested and repeated messages,
/// maps of scalars and of messages, oneofs, enums, packed numbers of every width and sign,
/// bytes, NaN and negative values, non-ASCII text and unknown fields.
@Suite("Measured protobuf serializer")
struct MeasuredProtobufSerializerTests {
  func expectSameBytes<M: SwiftProtobuf.Message>(_ message: M, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let ours: [UInt8] = try MeasuredProtobufSerializer<M>.bytes(message)
    let theirs: [UInt8] = try message.serializedBytes()
    // Where the two first differ (nil when identical): short to read when a large message fails.
    let firstDifference =
      zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? (ours.count == theirs.count ? nil : min(ours.count, theirs.count))
    #expect(firstDifference == nil, "\(M.protoMessageName): \(ours.count) vs \(theirs.count) bytes", sourceLocation: sourceLocation)
    // Ours decodes to the same message: compared re-encoded with map keys sorted (NaN fields
    // defeat `==`, and a decoded map iterates in its own order).
    var sorted = BinaryEncodingOptions()
    sorted.useDeterministicOrdering = true
    let decoded = try M(serializedBytes: ours)
    let again: [UInt8] = try decoded.serializedBytes(options: sorted)
    #expect(
      again.elementsEqual(try message.serializedBytes(options: sorted) as [UInt8]), "\(M.protoMessageName) decoded differently",
      sourceLocation: sourceLocation)
  }

  @Test("search results with nested runs encode to SwiftProtobuf's bytes")
  func runs() throws {
    let run = Mlops_Tracker_V1_Run.with {
      $0.info = .with {
        $0.runID = "r1"
        $0.experimentID = "7"
        $0.runName = "naïve — 試"
        $0.startTime = .init(seconds: 1_700_000_000, nanos: 5)
      }
      $0.data = .with {
        $0.metrics = [
          .with {
            $0.key = "loss"
            $0.value = .nan
            $0.step = -3
          },
          .with {
            $0.key = "auc"
            $0.value = -0.0
            $0.step = Int64.max
          },
          .with {
            $0.key = "inf"
            $0.value = -.infinity
            $0.step = Int64.min
          },
        ]
        $0.params = (0..<40).map { i in
          .with {
            $0.key = "p\(i)"
            $0.value = String(repeating: "v", count: i * 7)
          }
        }
        $0.tags = [
          .with {
            $0.key = ""
            $0.value = ""
          },
          .with {
            $0.key = "k"
            $0.value = "x"
          },
        ]
      }
      $0.inputs = [
        .with {
          $0.dataset = .with {
            $0.name = "d"
            $0.digest = "abc"
            $0.schema = String(repeating: "s", count: 300)
          }
          $0.context = "train"
        }
      ]
    }
    try expectSameBytes(
      Mlops_Tracker_V1_SearchRunsResponse.with {
        $0.runs = Array(repeating: run, count: 50) + [Mlops_Tracker_V1_Run()]
        $0.nextPageToken = "next"
      })
    try expectSameBytes(Mlops_Tracker_V1_SearchRunsResponse())
  }

  @Test("maps of messages, oneofs and packed numbers of every kind encode to SwiftProtobuf's bytes")
  func inference() throws {
    let contents = Inference_InferTensorContents.with {
      $0.boolContents = [true, false, true]
      $0.intContents = [0, -1, Int32.min, Int32.max, 300]
      $0.int64Contents = [-1, Int64.min, Int64.max, 1 << 35]
      $0.uintContents = [0, UInt32.max, 128]
      $0.uint64Contents = [UInt64.max, 1 << 63, 127]
      $0.fp32Contents = [.nan, -1.5, .infinity, 0]
      $0.fp64Contents = [.nan, -2.25, -.infinity, .leastNonzeroMagnitude]
      $0.bytesContents = [Data(), Data([0, 255, 1])]
    }
    try expectSameBytes(
      Inference_ModelInferRequest.with {
        $0.modelName = "m"
        $0.parameters = [
          "a": .with { $0.boolParam = true }, "b": .with { $0.int64Param = -9 }, "c": .with { $0.stringParam = "é" },
          "d": .with { $0.doubleParam = .nan }, "e": .with { $0.uint64Param = .max }, "f": Inference_InferParameter(),
        ]
        $0.inputs = [
          .with {
            $0.name = "X"
            $0.datatype = "FP32"
            $0.shape = [-1, 8, 0]
            $0.contents = contents
          }
        ]
        $0.rawInputContents = [Data(repeating: 7, count: 70_000), Data()]
      })
  }

  @Test("maps of strings, lists and values encode to SwiftProtobuf's bytes")
  func features() throws {
    try expectSameBytes(
      Mlops_Features_V1_FeatureView.with {
        $0.name = "driver_stats"
        $0.tags = Dictionary(uniqueKeysWithValues: (0..<30).map { ("t\($0)", String(repeating: "x", count: $0)) })
      })
    try expectSameBytes(Mlops_Common_V1_Value.with { $0.doubleValue = -.pi })
    try expectSameBytes(Mlops_Common_V1_Value.with { $0.int64Value = -1 })
    try expectSameBytes(Mlops_Common_V1_FloatList.with { $0.values = [1, -1, .nan] })
  }

  @Test("unknown fields from a newer peer are kept byte for byte")
  func unknownFields() throws {
    // Field 99 (length-delimited "hi") and field 98 (varint 5) are not in the message.
    let wire: [UInt8] =
      try Mlops_Tracker_V1_Param.with {
        $0.key = "k"
        $0.value = "v"
      }.serializedBytes() + [0x9A, 0x06, 0x02, 0x68, 0x69, 0x90, 0x06, 0x05]
    let decoded = try Mlops_Tracker_V1_Param(serializedBytes: wire)
    try expectSameBytes(decoded)
    #expect(try MeasuredProtobufSerializer<Mlops_Tracker_V1_Param>.bytes(decoded) as [UInt8] == wire)
  }
}
