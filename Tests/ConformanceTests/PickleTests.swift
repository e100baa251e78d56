import Conformance
import Multiprocessing
import Testing

/// Pickle carries a pool's tasks and results between processes: every Codable shape must come back
/// equal, and bytes that are not a pickle must be a `DecodingError`, never a crash.
@Suite struct PickleTests {
    struct Point: Codable, Equatable {
        var x: Double
        var label: String?
        var tags: [String]
    }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case polygon([Point])
        case empty
    }

    class Base: Codable {
        var id = 7
    }

    final class Derived: Base {
        var name = "derived"

        override init() { super.init() }

        enum Keys: CodingKey { case name }

        required init(from decoder: any Decoder) throws {
            name = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .name)
            try super.init(from: try decoder.container(keyedBy: Keys.self).superDecoder())
        }

        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(name, forKey: .name)
            try super.encode(to: container.superEncoder())
        }
    }

    func roundTrip<Value: Codable & Equatable>(_ value: Value) throws {
        #expect(try Pickle.loads(Value.self, from: try Pickle.dumps(value)) == value, "\(value)")
    }

    /// Verify that integers of every width and their extremes come back exactly.
    @Test func integers() throws {
        for value in [0, 1, -1, 63, -64, 64, Int.max, Int.min] { try roundTrip(value) }
        try roundTrip(UInt64.max)
        try roundTrip(Int8.min)
        try roundTrip(UInt16.max)
        try roundTrip([Int32.min, Int32.max])
    }

    /// Verify strings (empty, non-ASCII), floating point (infinity, negative zero), booleans.
    @Test func leaves() throws {
        for value in ["", "hello", "多进程 🧵"] { try roundTrip(value) }
        for value in [0.0, -0.0, 1.5, .infinity, -.infinity, .leastNonzeroMagnitude] { try roundTrip(value) }
        try roundTrip(Float(3.25))
        try roundTrip([true, false])
        let nan = try Pickle.loads(Double.self, from: try Pickle.dumps(Double.nan))
        #expect(nan.isNaN)
    }

    /// Verify structs with optionals, enums with payloads, nested arrays, dictionaries and a class
    /// that encodes its superclass through superEncoder.
    @Test func containers() throws {
        try roundTrip(Point(x: 1, label: nil, tags: []))
        try roundTrip([Shape.circle(radius: 2), .polygon([Point(x: -1, label: "a", tags: ["b", "c"])]), .empty])
        try roundTrip([[1, 2], [], [3]])
        try roundTrip([Int?.none, 5])
        try roundTrip(["one": 1, "two": 2])
        try roundTrip([1: "one", 2: "two"])
        try roundTrip(PoolTask.slow(3, milliseconds: 20))
        try roundTrip(WaitStatus.signaled(.kill, coreDumped: false))
        try roundTrip(Array(0..<100_000))
        let derived = try Pickle.loads(Derived.self, from: try Pickle.dumps(Derived()))
        #expect(derived.id == 7 && derived.name == "derived")
    }

    /// Verify that bytes ([UInt8], Python's bytes) travel as one length and their bytes, alone and
    /// inside other values, and that bytes read as another array type are a mismatch.
    @Test func bytes() throws {
        let megabyte = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 * 31) }
        try roundTrip(megabyte)
        try roundTrip([UInt8]())
        try roundTrip([[UInt8](), [1, 2], [255]])
        try roundTrip(["payload": [UInt8](repeating: 9, count: 3)])
        #expect(try Pickle.dumps(megabyte).count < megabyte.count + 8, "about one byte per byte")
        #expect(throws: DecodingError.self) { try Pickle.loads([Int].self, from: try Pickle.dumps(megabyte)) }
        #expect(try Pickle.loads([UInt8].self, from: try Pickle.dumps([1, 2])) == [1, 2], "small Ints read as bytes")
        #expect(throws: DecodingError.self) { try Pickle.loads([UInt8].self, from: try Pickle.dumps([1, 300])) }
    }

    /// Verify that a pickle of one type read as another is a type mismatch, and that an integer
    /// too large for the type asked for is refused, not truncated.
    @Test func mismatchesAreDecodingErrors() throws {
        #expect(throws: DecodingError.self) { try Pickle.loads(String.self, from: try Pickle.dumps(5)) }
        #expect(throws: DecodingError.self) { try Pickle.loads(Int8.self, from: try Pickle.dumps(300)) }
        #expect(throws: DecodingError.self) { try Pickle.loads(UInt.self, from: try Pickle.dumps(-1)) }
        #expect(throws: DecodingError.self) { try Pickle.loads(Point.self, from: try Pickle.dumps([1, 2])) }
        #expect(throws: DecodingError.self) { try Pickle.loads([Int].self, from: try Pickle.dumps(["a"])) }
    }

    /// Verify that truncated pickles, trailing bytes, unknown tags and absurd counts are
    /// DecodingErrors, and that random bytes never crash the decoder.
    @Test func corruptBytesAreDecodingErrors() throws {
        let bytes = try Pickle.dumps([Point(x: 1, label: "x", tags: ["y"])])
        for length in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try Pickle.loads([Point].self, from: Array(bytes.prefix(length))) }
        }
        #expect(throws: DecodingError.self) { try Pickle.loads([Point].self, from: bytes + [0]) }
        #expect(throws: DecodingError.self) { try Pickle.loads(Int.self, from: [0xff]) }
        // An unkeyed container claiming 2^62 elements in a few bytes.
        #expect(throws: DecodingError.self) {
            try Pickle.loads([Int].self, from: [7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40])
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let noise = (0..<Int.random(in: 0...24, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? Pickle.loads([Shape].self, from: noise)
        }
    }
}
