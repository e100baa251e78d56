import Conformance
import Glibc
import Processes

/// What `ps -o stat= -p PID` prints for `pid`, without its padding; nil when ps is not installed.
func psStat(_ pid: ProcessID) throws -> String? {
    var ends: [CInt] = [-1, -1]
    guard system_pipe_cloexec(&ends) == 0 else { throw Errno.current }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
    let arguments = ["ps", "-o", "stat=", "-p", String(pid.rawValue)]
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var child: pid_t = 0
    let error = posix_spawnp(&child, "ps", &actions, nil, argv, environ)
    _ = system_close(ends[1])
    defer { _ = system_close(ends[0]) }
    if error == ENOENT { return nil }
    guard error == 0 else { throw Errno(rawValue: error) }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256)
    while true {
        let count = try buffer.withUnsafeMutableBytes { chunk in valueOrErrno { system_read(ends[0], chunk) } }.get()
        if count == 0 { break }
        output += buffer[..<count]
    }
    _ = try Wait().waitpid(ProcessID(rawValue: child), options: [])
    return String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
