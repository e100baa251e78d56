import Glibc

/// What `ps` and `pstree` would say about a process, worked out from `/proc` by the checks
/// themselves, and the real `ps` and `pstree` run as programs when they are installed.
enum PS {
    /// The status of `pid` read from `/proc/<pid>/stat` and `/proc/<pid>/status`, or nil when it is gone.
    static func status(_ pid: ProcessID) -> ProcessStatus? {
        guard let stat = ProcFS.stat(pid.rawValue), let state = ProcessState(rawValue: String(stat.state)) else { return nil }
        let locked = ProcFS.read("/proc/\(pid.rawValue)/status")?.split(separator: "\n")
            .first { $0.hasPrefix("VmLck:") }
            .flatMap { Int($0.dropFirst(6).split { $0 == " " || $0 == "\t" }.first ?? "") } ?? 0
        return ProcessStatus(pid: pid, name: stat.name, state: state, parent: ProcessID(rawValue: stat.parent),
                             processGroup: stat.processGroup, session: stat.session,
                             terminalForegroundGroup: stat.terminalForegroundGroup, nice: stat.nice,
                             threads: stat.threads, lockedKiB: locked)
    }

    /// The STAT column procps-ng's ps makes of a status (ps/output.c, pr_stat). The checks' own copy,
    /// independent of any implementation, so the reference's formatter is checked like a student's.
    static func statColumn(_ status: ProcessStatus) -> String {
        var column = status.state.rawValue
        if status.nice < 0 { column += "<" } else if status.nice > 0 { column += "N" }
        if status.lockedKiB > 0 { column += "L" }
        if status.session == status.pid.rawValue { column += "s" }
        if status.threads > 1 { column += "l" }
        if status.terminalForegroundGroup == status.processGroup { column += "+" }
        return column
    }

    /// The tree of `pid` and its descendants from the parent fields of `/proc/*/stat`, children in
    /// pid order, or nil when `pid` is gone.
    static func tree(of pid: ProcessID) -> ProcessTree? {
        var children: [pid_t: [pid_t]] = [:]
        for process in (Folder.names(in: "/proc") ?? []).compactMap({ pid_t($0) }).sorted() {
            if let parent = ProcFS.stat(process)?.parent { children[parent, default: []].append(process) }
        }
        func subtree(_ process: pid_t) -> ProcessTree? {
            guard let name = ProcFS.stat(process)?.name else { return nil }
            return ProcessTree(pid: ProcessID(rawValue: process), name: name,
                               children: (children[process] ?? []).compactMap(subtree))
        }
        return subtree(pid.rawValue)
    }

    /// What `/usr/bin/<program> arguments` prints on stdout, or nil when it is not installed.
    static func run(_ program: String, _ arguments: [String]) throws -> String? {
        let path = ["/usr/bin/", "/bin/"].map { $0 + program }.first { access($0, X_OK) == 0 }
        guard let path else { return nil }
        let output = try Pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.writeEnd, 1)
        closeDescriptorsAboveStandard(&actions)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, path, &actions, nil, argv, environ)
        if error != 0 { throw CheckFailure.setup("posix_spawn of \(path)", Errno(rawValue: error)) }
        output.closeWriteEnd()
        defer { _ = try? Children.reap(ProcessID(rawValue: pid)) }
        return try output.readToEnd()
    }
}
