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
        /// The process group, the session and the terminal's foreground group (-1: no terminal).
        var processGroup: pid_t
        var session: pid_t
        var terminalForegroundGroup: pid_t
        /// The nice value and the number of threads.
        var nice: Int32
        var threads: Int
        /// When it started, in clock ticks after boot: with the pid, it names one process even if
        /// the pid is reused later.
        var startTime: UInt64
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
        // After the name: state (field 3), ppid (4), pgrp (5), session (6), tpgid (8), nice (19),
        // num_threads (20), starttime (22).
        guard fields.count > 19, let state = fields[0].first, let parent = pid_t(fields[1]),
              let processGroup = pid_t(fields[2]), let session = pid_t(fields[3]), let foreground = pid_t(fields[5]),
              let nice = Int32(fields[16]), let threads = Int(fields[17]), let startTime = UInt64(fields[19])
        else { return nil }
        return Stat(name: String(line[line.index(after: open)..<close]), state: state, parent: parent,
                    processGroup: processGroup, session: session, terminalForegroundGroup: foreground, nice: nice,
                    threads: threads, startTime: startTime)
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
        (Folder.names(in: "/proc") ?? []).compactMap { pid_t($0) }.filter { stat($0)?.parent == parent }
    }

    /// The thread ids of process `pid` (`/proc/<pid>/task`); empty once it is gone.
    static func threads(of pid: pid_t) -> [pid_t] {
        (Folder.names(in: "/proc/\(pid)/task") ?? []).compactMap { pid_t($0) }
    }

    /// Whether every thread of `pid` and of its children is asleep (state S), stopped or a
    /// zombie: none is running or runnable (R) or in an uninterruptible wait (D).
    static func isAsleep(withChildren pid: pid_t) -> Bool {
        for process in [pid] + children(of: pid) {
            for thread in threads(of: process) {
                guard let state = stat(atPath: "/proc/\(process)/task/\(thread)/stat")?.state else { continue }
                if state == "R" || state == "D" { return false }
            }
        }
        return true
    }

    /// The socket inodes of the loopback TCP connections to 127.0.0.1:`localPort`, by the remote
    /// end's port, in one read of `/proc/net/tcp` (which lists every connection of the network
    /// namespace, TIME_WAIT ones included: thousands after a busy minute). Its lines are "sl
    /// local_address rem_address st ... inode", the addresses in hex.
    static func tcpSocketInodes(localPort: UInt16) -> [UInt16: UInt64] {
        let local = "0100007F:" + hex(localPort)
        var inodes: [UInt16: UInt64] = [:]
        for line in (read("/proc/net/tcp") ?? "").split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[1] == local, fields[2].hasPrefix("0100007F:"),
                  let port = UInt16(fields[2].dropFirst(9), radix: 16), let inode = UInt64(fields[9]) else { continue }
            inodes[port] = inode
        }
        return inodes
    }

    /// The inodes of the sockets process `pid` has open (its `/proc/<pid>/fd` links "socket:[N]").
    static func socketInodes(of pid: pid_t) -> Set<UInt64> {
        var inodes: Set<UInt64> = []
        for descriptor in Folder.names(in: "/proc/\(pid)/fd") ?? [] {
            var target = [CChar](repeating: 0, count: 64)
            let count = readlink("/proc/\(pid)/fd/\(descriptor)", &target, target.count - 1)
            guard count > 0 else { continue }
            let link = String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("socket:["), let inode = UInt64(link.dropFirst(8).dropLast()) { inodes.insert(inode) }
        }
        return inodes
    }

    private static func hex(_ port: UInt16) -> String {
        let digits = String(port, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }


    /// One line of `/proc/<pid>/maps`: the addresses and the permissions, e.g. `rw-p`, `---p`.
    struct Mapping {
        var range: Range<UInt64>
        var permissions: String
    }

    /// The memory mappings of `pid` (`/proc/<pid>/maps`), in address order.
    static func mappings(of pid: pid_t) throws -> [Mapping] {
        guard let text = read("/proc/\(pid)/maps") else { throw CheckFailure.setup("open(/proc/\(pid)/maps)", .current) }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            let bounds = fields.first?.split(separator: "-") ?? []
            guard fields.count > 1, bounds.count == 2, let start = UInt64(bounds[0], radix: 16),
                  let end = UInt64(bounds[1], radix: 16) else { return nil }
            return Mapping(range: start..<end, permissions: String(fields[1]))
        }
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
