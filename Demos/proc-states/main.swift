// `make proc-states`: the course's process states (进程理论基础: 进程状态, `ps -aux` 的 STAT 列) and
// process tree (父子进程, pstree) on real processes. Each example is a child of this process; its
// STAT as `ProcessStates` reads and formats it is printed beside what `ps -o stat=` prints, then
// the tree of a parent with two children, a double fork and an orphan as `ProcessTrees` draws it.
// Every child is killed and reaped before the demo ends.
import CSystem
import Conformance
import Glibc
import Processes

/// The columns of the states table: text padded to `width` terminal columns (a CJK character takes two).
func padded(_ text: String, _ width: Int) -> String {
    let columns = text.unicodeScalars.reduce(0) { sum, scalar in
        sum + ((0x2E80...0xA4CF).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
    }
    return text + String(repeating: " ", count: max(1, width - columns))
}

func row(_ example: String, _ pid: ProcessID, _ rest: String) {
    print(padded(example, 36) + padded(String(pid.rawValue), 9) + rest)
}

/// One row: the example, its pid, our STAT, ps's STAT, and `<- differs` when they are not the same.
func show(_ example: String, _ status: ProcessStatus) throws {
    let ours = ProcessStates().statColumn(status)
    guard let theirs = try psStat(status.pid) else {
        row(example, status.pid, padded(ours, 6) + "ps not installed")
        return
    }
    row(example, status.pid, padded(ours, 6) + theirs + (theirs == ours ? "" : "  <- differs"))
}

/// Each state of the course on a child of its own.
func showStates() throws {
    let me = Fork().getpid()
    print("Process states (进程状态): children of proc-states (pid \(me)); STAT as ProcessStates formats it, and as ps prints it.")
    let own = try ProcessStates().status(of: me)
    if own.terminalForegroundGroup == own.processGroup {
        print("proc-states runs in its terminal's foreground group, and its children with it: + on each but the new sessions.")
    }
    print(padded("example", 36) + padded("pid", 9) + padded("ours", 6) + "ps -o stat=")

    let busy = try spawn("busy-loop") {
        var count: UInt64 = 0
        while true { count &+= 1 }
    }
    try show("busy loop (运行/就绪)", awaitStatus(busy, "running the loop") { $0.name == "busy-loop" && $0.state == .running })

    var pipe: [CInt] = [-1, -1]
    guard system_pipe_cloexec(&pipe) == 0 else { throw Errno.current }
    defer { pipe.forEach { _ = system_close($0) } }
    let reader = try spawn("pipe-reader") {
        var byte: UInt8 = 0
        while true { _ = read(pipe[0], &byte, 1) }
    }
    try show("blocked in read on a pipe (等待)", awaitStatus(reader, "blocked in read") { $0.name == "pipe-reader" && $0.state == .sleeping })

    let sleeper = try spawn("sleeper") {
        while true { sleep(1000) }
    }
    try show("sleep (等待)", awaitStatus(sleeper, "asleep") { $0.name == "sleeper" && $0.state == .sleeping })

    let stopped = try spawn("stopped", pauseForever)
    _ = try awaitStatus(stopped, "in pause") { $0.name == "stopped" && $0.state == .sleeping }
    kill(stopped.rawValue, SIGSTOP)
    try show("stopped by SIGSTOP", awaitStatus(stopped, "stopped") { $0.state == .stopped })
    kill(stopped.rawValue, SIGCONT)
    try show("continued by SIGCONT", awaitStatus(stopped, "back in pause") { $0.state == .sleeping })

    let zombie = try spawn("zombie") { _exit(0) }
    try show("exited, not reaped (僵尸)", awaitStatus(zombie, "a zombie") { $0.state == .zombie })

    // psutil.Process(pid).nice(n): setpriority(2) on the child; lowering needs CAP_SYS_NICE.
    for nice: Int32 in [5, -5] {
        let example = nice > 0 ? "nice +5" : "nice -5"
        let child = try spawn("nice", pauseForever)
        _ = try awaitStatus(child, "in pause") { $0.name == "nice" && $0.state == .sleeping }
        if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(child.rawValue), nice) != 0 {
            row(example, child, "not permitted: \(Errno.current)")
            continue
        }
        try show(example, awaitStatus(child, "at nice \(nice)") { $0.nice == nice })
    }

    // mlock(2) one page; RLIMIT_MEMLOCK may forbid it, and the child then exits at once.
    let locker = try spawn("mlocked") {
        let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        if page == MAP_FAILED || mlock(page, 4096) != 0 { _exit(1) }
        pauseForever()
    }
    let locked = try awaitStatus(locker, "locked memory") { ($0.lockedKiB > 0 && $0.state == .sleeping) || $0.state == .zombie }
    if locked.state == .zombie {
        row("locked memory (mlock)", locker, "not permitted (RLIMIT_MEMLOCK)")
    } else {
        try show("locked memory (mlock)", locked)
    }

    let leader = try spawn("setsid") {
        setsid()
        pauseForever()
    }
    try show("session leader (setsid)", awaitStatus(leader, "a session leader") { $0.session == leader.rawValue && $0.state == .sleeping })

    // The second thread is created in the child: pthread_create is not async-signal-safe, but
    // this process has one thread, so no lock can be held by another at the fork.
    let threaded = try spawn("two-threads") {
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in pauseForever() }, nil)
        pauseForever()
    }
    try show("two threads", awaitStatus(threaded, "two threads") { $0.threads == 2 && $0.state == .sleeping })

    // A new session whose controlling terminal is a pseudo-terminal (TIOCSCTTY): the leader's group is
    // the terminal's foreground group; its child moves to a group of its own, a background group.
    var terminal: (master: CInt, slave: CInt) = (-1, -1)
    guard cs_open_pseudo_terminal(&terminal.master, &terminal.slave) == 0 else { throw Errno.current }
    defer { _ = system_close(terminal.master); _ = system_close(terminal.slave) }
    let foreground = try spawn("foreground") {
        setsid()
        _ = ioctl(terminal.slave, UInt(TIOCSCTTY), 0)
        _ = try? spawn("background") {
            setpgid(0, 0)
            pauseForever()
        }
        pauseForever()
    }
    try show("foreground of a pseudo-terminal", awaitStatus(foreground, "the terminal's foreground") {
        $0.terminalForegroundGroup == foreground.rawValue && $0.state == .sleeping
    })
    let background = try awaitChild(of: foreground, named: "background")
    try show("background group of that terminal", awaitStatus(background, "in a group of its own") {
        $0.processGroup == background.rawValue && $0.state == .sleeping
    })
}

/// The tree of the course's parent-child examples under this process, a child subreaper.
func showTree() throws {
    let trees = ProcessTrees()
    let me = Fork().getpid()
    let parent = try spawn("parent") {
        _ = try? spawn("child-1", pauseForever)
        _ = try? spawn("child-2", pauseForever)
        pauseForever()
    }
    for name in ["child-1", "child-2"] { _ = try awaitChild(of: parent, named: name) }

    // The double fork (day1/child.py): the middle child exits at once and is reaped here, and its
    // child is re-parented to the nearest subreaper, this process.
    let middle = try spawn("double-fork") {
        _ = try? spawn("grandchild", outlivesParent: true, pauseForever)
        _exit(0)
    }
    _ = try Wait().waitpid(middle, options: [])
    _ = try awaitChild(of: me, named: "grandchild")

    // An orphan: its parent is killed while it runs, and the subreaper adopts it.
    let doomed = try spawn("orphan-parent") {
        _ = try? spawn("orphan", outlivesParent: true, pauseForever)
        pauseForever()
    }
    _ = try awaitChild(of: doomed, named: "orphan")
    kill(doomed.rawValue, SIGKILL)
    _ = try Wait().waitpid(doomed, options: [])
    _ = try awaitChild(of: me, named: "orphan")

    print()
    print("Process tree (父子进程, pstree -p -n -A -T -l \(me)): a parent with two children, the grandchild of a")
    print("double fork and an orphan whose parent was killed, both adopted by proc-states (PR_SET_CHILD_SUBREAPER).")
    print(trees.render(try trees.tree(of: me)), terminator: "")
}

var failed = false
do {
    try Orphans().setChildSubreaper(true)
    try showStates()
    endEveryDescendant()
    try showTree()
} catch {
    print("proc-states: \(error)")
    failed = true
}
endEveryDescendant()
exit(failed ? 1 : 0)
