import Conformance

/// One line of `/proc/<pid>/stat` (proc(5)): `pid (name) S ppid pgrp session ...`.
///
/// The name may hold spaces and parentheses, so it runs from the FIRST `(` to the LAST `)` and the
/// numbered fields start after that `)`, as ps and pstree read it; never a split of the whole line.
struct ProcStat {
    /// The command name (`comm`, field 2), without its parentheses. Its bytes are decoded as UTF-8:
    /// a name the kernel cut at 15 bytes inside a character ends in U+FFFD.
    let name: String
    /// Fields 3 (the state) and on, in order.
    private let fields: [Substring]

    /// Reads the line; `ESRCH` when the process does not exist, `EINVAL` when the line is malformed.
    init(of pid: ProcessID) throws(Errno) {
        let line = Array(try readSmallFile("/proc/\(pid.rawValue)/stat").utf8)
        guard let open = line.firstIndex(of: UInt8(ascii: "(")),
              let close = line.lastIndex(of: UInt8(ascii: ")")), open < close
        else { throw Errno.invalidArgument }
        name = String(decoding: line[(open + 1)..<close], as: UTF8.self)
        fields = String(decoding: line[(close + 1)...], as: UTF8.self).split(separator: " ")
    }

    /// Field 3, the state letter; `EINVAL` for a letter `ProcessState` does not know.
    func state() throws(Errno) -> ProcessState {
        guard let letter = fields.first, let state = ProcessState(rawValue: String(letter)) else { throw Errno.invalidArgument }
        return state
    }

    /// The integer in field `number`, counted from 1 as proc(5) does (4 is the parent's pid);
    /// `EINVAL` when the line has no such field or it is not an integer.
    func integer<Value: FixedWidthInteger>(_ number: Int) throws(Errno) -> Value {
        let index = number - 3
        guard fields.indices.contains(index), let value = Value(fields[index]) else { throw Errno.invalidArgument }
        return value
    }
}

/// The whole content of a small file under /proc; `ESRCH` when the process does not exist.
func readSmallFile(_ path: String) throws(Errno) -> String {
    let fd = system_open_read(path)
    if fd < 0 { throw Errno.current == .noSuchFileOrDirectory ? Errno.noSuchProcess : Errno.current }
    defer { _ = system_close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 512)
    while true {
        let count = try buffer.withUnsafeMutableBytes { chunk in
            valueOrErrno { system_read(fd, chunk) }
        }.get()
        if count == 0 { return String(decoding: bytes, as: UTF8.self) }
        bytes += buffer[0..<count]
    }
}
