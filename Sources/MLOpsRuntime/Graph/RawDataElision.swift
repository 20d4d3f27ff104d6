import Foundation

/// A model's protobuf with the large `raw_data` of its graph's initializers cut out, so that
/// decoding it copies only the small remainder. SwiftProtobuf copies every bytes field into a
/// fresh `Data`: for a 50 MB weight matrix that copy, and the page faults of its new pages,
/// was the largest single cost of the registry's check of an upload, and a second copy on
/// every load. ``restore(into:from:)`` gives each cut initializer its bytes back as a slice of
/// the original buffer, which shares its storage instead of copying it.
///
/// Only the top-level graph's initializers are cut: that is where exporters put weights.
/// Anything unexpected on the wire (a group, a truncated field, a tensor with two `raw_data`
/// fields) makes ``init(model:)`` answer nil, and the caller decodes the bytes as they are,
/// so errors stay exactly those of a plain decode.
struct RawDataElision {
  /// Smaller raw tensors are copied as they are: cutting them saves nothing worth a rewrite.
  static let minimumBytes = 64 << 10

  /// The model's bytes without the cut fields.
  let stripped: Data
  /// For each cut initializer, by its position in the graph's initializer list, where its
  /// raw bytes lie in the original buffer (offsets from its start).
  let cuts: [Int: Range<Int>]
  /// How many initializers the wire held, so a decode that disagrees is not patched.
  let initializerCount: Int

  /// Nil when nothing is large enough to cut or the wire is not plainly well-formed.
  init?(model bytes: Data) {
    guard bytes.count >= Self.minimumBytes else { return nil }
    let rewritten: (bytes: [UInt8], cuts: [Int: Range<Int>], initializers: Int)? = bytes.withUnsafeBytes { base in
      var rewriter = WireRewriter(base: base)
      guard let model = rewriter.model(0..<base.count), !rewriter.failed else { return nil }
      return (model, rewriter.cuts, rewriter.initializers)
    }
    guard let rewritten else { return nil }
    self.stripped = Data(rewritten.bytes)
    self.cuts = rewritten.cuts
    self.initializerCount = rewritten.initializers
  }

  /// Puts each cut initializer's bytes back, as slices of `original`. False when the decoded
  /// graph does not line up with the wire (the caller then decodes `original` whole).
  func restore(into proto: inout Onnx_ModelProto, from original: Data) -> Bool {
    guard proto.graph.initializer.count == initializerCount else { return false }
    let start = original.startIndex
    for (index, range) in cuts {
      guard !proto.graph.initializer[index].hasRawData else { return false }
      proto.graph.initializer[index].rawData = original[(start + range.lowerBound)..<(start + range.upperBound)]
    }
    return true
  }
}

/// Walks ModelProto → graph (field 7) → initializer (field 5) → raw_data (field 9), copying
/// every other field as it is and re-encoding the lengths of the messages that shrank.
private struct WireRewriter {
  let base: UnsafeRawBufferPointer
  var cuts: [Int: Range<Int>] = [:]
  var initializers = 0
  /// Set by any malformed field, however deep: a nested message that cannot be parsed is
  /// otherwise indistinguishable from one kept as it is.
  var failed = false

  init(base: UnsafeRawBufferPointer) { self.base = base }

  /// One field on the wire: its number and type, where it starts, where its tag ends, where
  /// it ends, and for a length-delimited field where its payload lies.
  struct Field {
    let number: UInt64
    let wireType: UInt64
    let start: Int
    let tagEnd: Int
    let end: Int
    let payload: Range<Int>
  }

  /// The model without its large raw initializers, or nil when it has none: a model without
  /// weights worth cutting (a tree ensemble) is not copied at all.
  mutating func model(_ range: Range<Int>) -> [UInt8]? {
    guard hasCuts(range) else { return nil }
    return rewrite(range) { rewriter, field in field.number == 7 && field.wireType == 2 ? rewriter.graph(field.payload) : nil }
  }

  /// Whether any graph in the model holds an initializer ``cuttableRaw(_:)`` would cut;
  /// reads field headers only.
  private mutating func hasCuts(_ range: Range<Int>) -> Bool {
    anyField(range, number: 7) { rewriter, graph in
      rewriter.anyField(graph, number: 5) { rewriter, tensor in rewriter.cuttableRaw(tensor) != nil }
    }
  }

  /// Whether a length-delimited field `number` of the message in `range` passes `test`.
  private mutating func anyField(_ range: Range<Int>, number: UInt64, _ test: (inout WireRewriter, Range<Int>) -> Bool) -> Bool {
    for field in fields(in: range) ?? [] where field.number == number && field.wireType == 2 {
      if test(&self, field.payload) { return true }
    }
    return false
  }

  private mutating func graph(_ range: Range<Int>) -> [UInt8]? {
    rewrite(range) { rewriter, field in
      guard field.number == 5, field.wireType == 2 else { return nil }
      defer { rewriter.initializers += 1 }
      return rewriter.tensor(field.payload, index: rewriter.initializers)
    }
  }

  /// The tensor without its raw_data when ``cuttableRaw(_:)`` finds it; nil (keep it as it
  /// is) otherwise.
  private mutating func tensor(_ range: Range<Int>, index: Int) -> [UInt8]? {
    guard let raw = cuttableRaw(range) else { return nil }
    cuts[index] = raw.payload
    var out: [UInt8] = []
    append(range.lowerBound..<raw.start, to: &out)
    append(raw.end..<range.upperBound, to: &out)
    return out
  }

  /// The tensor's raw_data field when it is its only one and at least the minimum size.
  private mutating func cuttableRaw(_ range: Range<Int>) -> Field? {
    let raws = (fields(in: range) ?? []).filter { $0.number == 9 && $0.wireType == 2 }
    guard raws.count == 1, raws[0].payload.count >= RawDataElision.minimumBytes else { return nil }
    return raws[0]
  }

  /// The message in `range` with each field `replace` rewrites given its new payload (and
  /// length), every other field (those `replace` answers nil for) copied as it is. Nil, and
  /// `failed` set, when the wire is malformed.
  private mutating func rewrite(_ range: Range<Int>, replace: (inout WireRewriter, Field) -> [UInt8]?) -> [UInt8]? {
    guard let fields = fields(in: range) else { return nil }
    var out: [UInt8] = []
    for field in fields {
      if let payload = replace(&self, field) {
        append(field.start..<field.tagEnd, to: &out)
        appendVarint(UInt64(payload.count), to: &out)
        out.append(contentsOf: payload)
      } else {
        append(field.start..<field.end, to: &out)
      }
    }
    return out
  }

  /// The fields of the message in `range`, in order; nil, and `failed` set, when the wire is
  /// malformed.
  private mutating func fields(in range: Range<Int>) -> [Field]? {
    var fields: [Field] = []
    var offset = range.lowerBound
    while offset < range.upperBound {
      guard let field = field(at: offset, limit: range.upperBound) else {
        failed = true
        return nil
      }
      fields.append(field)
      offset = field.end
    }
    return fields
  }

  private func field(at start: Int, limit: Int) -> Field? {
    var offset = start
    guard let tag = varint(at: &offset, limit: limit) else { return nil }
    let number = tag >> 3
    let wireType = tag & 7
    let tagEnd = offset
    guard number > 0 else { return nil }
    switch wireType {
    case 0:
      guard varint(at: &offset, limit: limit) != nil else { return nil }
    case 1, 5:
      offset += wireType == 1 ? 8 : 4
      guard offset <= limit else { return nil }
    case 2:
      guard let length = varint(at: &offset, limit: limit), length <= UInt64(limit - offset) else { return nil }
      let payload = offset..<(offset + Int(length))
      return Field(number: number, wireType: wireType, start: start, tagEnd: tagEnd, end: payload.upperBound, payload: payload)
    default:
      return nil
    }
    return Field(number: number, wireType: wireType, start: start, tagEnd: tagEnd, end: offset, payload: tagEnd..<offset)
  }

  private func varint(at offset: inout Int, limit: Int) -> UInt64? {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while offset < limit, shift < 64 {
      let byte = base[offset]
      offset += 1
      value |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
    }
    return nil
  }

  /// Copies `range` of the input in one move (appending a raw-buffer slice would go byte by
  /// byte).
  private func append(_ range: Range<Int>, to out: inout [UInt8]) {
    guard !range.isEmpty else { return }
    base.baseAddress!.advanced(by: range.lowerBound).withMemoryRebound(to: UInt8.self, capacity: range.count) {
      out.append(contentsOf: UnsafeBufferPointer(start: $0, count: range.count))
    }
  }

  private func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var value = value
    while value >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    out.append(UInt8(value))
  }
}
