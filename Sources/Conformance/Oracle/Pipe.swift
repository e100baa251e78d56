import CSystem
import Glibc

/// A pipe the checks use to hear from their children: integers and bytes one way, and end of file
/// when every writer has gone. Both ends are close-on-exec; forked children inherit them.
///
/// Contract: after forking, each side closes the end it does not use, so end of file means the
/// other side has ended or closed its end.
final class Pipe {
    private(set) var readEnd: CInt
    private(set) var writeEnd: CInt

    init() throws {
        var ends: [CInt] = [-1, -1]
        _ = try valueOrErrno { cs_pipe_cloexec(&ends) }.mapError { CheckFailure.setup("pipe2", $0) }.get()
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        closeReadEnd()
        closeWriteEnd()
    }

    func closeReadEnd() {
        if readEnd >= 0 { _ = Glibc.close(readEnd) }
        readEnd = -1
    }

    func closeWriteEnd() {
        if writeEnd >= 0 { _ = Glibc.close(writeEnd) }
        writeEnd = -1
    }

    /// Writes 4 bytes in one call (below PIPE_BUF, so never split). Used in children: errors are ignored.
    func write(_ value: Int32) {
        var value = value
        _ = Glibc.write(writeEnd, &value, 4)
    }

    /// Writes an address (8 bytes) in one call. Used in children: errors are ignored.
    func writeAddress(_ value: UInt64) {
        var value = value
        _ = Glibc.write(writeEnd, &value, 8)
    }

    /// Writes a few integers in one call (at most PIPE_BUF bytes, so never split or mixed with
    /// another child's report). Used in children: errors are ignored.
    func write(_ values: [Int32]) {
        values.withUnsafeBytes { _ = Glibc.write(writeEnd, $0.baseAddress, $0.count) }
    }

    /// Writes the UTF-8 bytes of `text`. Used in children: errors are ignored.
    func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(writeEnd, $0.baseAddress, $0.count) }
    }

    /// Reads one integer written by `write(_:)`; throws `ifMissing` at end of file.
    func readInt32(_ ifMissing: @autoclosure () -> String) throws -> Int32 { try readInteger(ifMissing()) }

    /// Reads one address written by `writeAddress(_:)`; throws `ifMissing` at end of file.
    func readAddress(_ ifMissing: @autoclosure () -> String) throws -> UInt64 { try readInteger(ifMissing()) }

    private func readInteger<Integer: FixedWidthInteger>(_ ifMissing: @autoclosure () -> String) throws -> Integer {
        var value = Integer.zero
        let size = MemoryLayout<Integer>.size
        var got = 0
        while got < size {
            let count = withUnsafeMutableBytes(of: &value) { bytes in
                valueOrErrno { Glibc.read(readEnd, bytes.baseAddress! + got, size - got) }
            }
            switch count {
            case .success(0): throw CheckFailure(ifMissing())
            case .success(let n): got += n
            case .failure(let error): throw CheckFailure.setup("read", error)
            }
        }
        return value
    }

    /// Reads exactly `count` bytes and returns them as text; throws `ifMissing` at end of file.
    func readText(_ count: Int, _ ifMissing: @autoclosure () -> String) throws -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                valueOrErrno { Glibc.read(readEnd, buffer.baseAddress! + got, count - got) }
            }
            switch read {
            case .success(0): throw CheckFailure(ifMissing())
            case .success(let n): got += n
            case .failure(let error): throw CheckFailure.setup("read", error)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads until end of file and returns the bytes as text.
    func readToEnd() throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try valueOrErrno { Glibc.read(readEnd, &buffer, buffer.count) }
                .mapError { CheckFailure.setup("read", $0) }.get()
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += buffer[0..<count]
        }
    }

    /// Whether something (data or end of file) can be read now, without waiting.
    func isReadable() -> Bool {
        var entry = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&entry, 1, 0) == 1
    }
}

extension CheckFailure {
    /// The check's own setup failed, which says nothing about the implementation: broken.
    static func setup(_ call: String, _ error: Errno) -> CheckFailure {
        CheckFailure("the check's own \(call) failed with \(error)", expected: nil, actual: nil, isBroken: true)
    }
}
