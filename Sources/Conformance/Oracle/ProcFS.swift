import Glibc

/// Reads `/proc`, the kernel's view of processes (proc(5)), independently of any implementation.
enum ProcFS {
    /// The fields of `/proc/<pid>/stat` the checks need.
    struct Stat {
        /// The name between the parentheses (it may itself contain spaces and parentheses).
        var name: String
        /// The state letter.
        var state: Character
        /// The parent's pid.
        var parent: pid_t
    }

    /// The stat line of `pid`, or nil when there is no such process.
    static func stat(_ pid: pid_t) -> Stat? { stat(atPath: "/proc/\(pid)/stat") }

    /// The state letter of one thread of this process (`/proc/self/task/<tid>/stat`).
    static func threadState(_ tid: pid_t) -> Character? { stat(atPath: "/proc/self/task/\(tid)/stat")?.state }

    private static func stat(atPath path: String) -> Stat? {
        guard let line = read(path) else { return nil }
        // "pid (name) S ppid ...": the name ends at the LAST ')', as proc(5) warns.
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let parent = pid_t(fields[1]) else { return nil }
        return Stat(name: String(line[line.index(after: open)..<close]), state: state, parent: parent)
    }

    /// The first number of `/proc/self/task/<tid>/syscall`: the system call a thread is blocked in.
    static func currentSyscall(ofThread tid: pid_t) -> Int? {
        syscallNumber(read("/proc/self/task/\(tid)/syscall"))
    }

    /// The same for the main thread of another process (a child: reading it needs ptrace rights).
    static func currentSyscall(ofProcess pid: pid_t) -> Int? {
        syscallNumber(read("/proc/\(pid)/syscall"))
    }

    private static func syscallNumber(_ line: String?) -> Int? {
        line?.split(separator: " ").first.flatMap { Int($0) }
    }

    /// How many threads this process has (`/proc/self/task` entries).
    static func taskCount() -> Int {
        guard let directory = opendir("/proc/self/task") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
        }
        return count
    }

    /// The descriptors open in this process, without the one used to list them.
    static func openDescriptors() -> Set<CInt> {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var found: Set<CInt> = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = CInt(name), fd != own { found.insert(fd) }
        }
        return found
    }

    /// The pids of this process's children, found by scanning every `/proc/<pid>/stat`.
    static func children(of parent: pid_t) -> [pid_t] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let pid = pid_t(name), stat(pid)?.parent == parent { found.append(pid) }
        }
        return found
    }

    /// The whole content of a small file, or nil when it cannot be opened.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
