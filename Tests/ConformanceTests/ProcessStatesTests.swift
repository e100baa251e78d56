import CSystem
import Conformance
import Foundation
import Grading
import Processes
import Testing

/// The reference of the states chapter agrees with the tools it mirrors, run on real processes:
/// `ProcessTrees.render` with `pstree -p -n -A -T -l`, `ProcessStates.statColumn` with
/// `ps -o stat=`; and the `proc-states` demo shows the same STAT as ps and leaves nothing behind.
@Suite struct ProcessStatesTests {
    /// Verify that render draws every shape byte for byte as pstree does: one node, a chain, a wide
    /// tree with a zombie, a deep one with siblings below, and names of every length, with ' ', ')',
    /// a tab, a backslash, UTF-8 and more than 15 bytes (cut to 15).
    @Test(.enabled(if: installed("pstree") != nil), arguments: [
        Shape("solo"),
        Shape("x", [Shape("y", [Shape("z")])]),
        Shape("wide", [Shape("a"), Shape("bbbbbbbbbbbbbbb"), Shape("cc", [Shape("zombie", exits: true)]), Shape("d")]),
        Shape("r", [Shape("a", [Shape("b", [Shape("c"), Shape("d")]), Shape("e")]),
                    Shape("f", [Shape("g", [Shape("h"), Shape("i")])])]),
        Shape("root", [Shape("a", [Shape("aa"), Shape("ab", [Shape("aba")])]), Shape("b) R (c", [Shape("ba")]), Shape("c")]),
        Shape("进程\\x", [Shape("averyveryverylongname", [Shape("tab\tx"), Shape("y")]), Shape("z")]),
    ])
    func renderMatchesPstree(_ shape: Shape) throws {
        let processes = try ForkedTree(shape)
        defer { processes.end() }
        let trees = ProcessTrees()
        let tree = try poll("the tree \(shape)") {
            let tree = try trees.tree(of: processes.root)
            return shape.matches(tree) ? tree : nil
        }
        let pstree = try Spawn.run(installed("pstree")!, ["-p", "-n", "-A", "-T", "-l", String(processes.root.rawValue)],
                                   timeout: 600)
        #expect(pstree.succeeded, "\(pstree.stderr)")
        #expect(trees.render(tree) == pstree.stdout)
    }

    /// Verify that statColumn agrees with ps on a paused child, a session leader, a stopped child,
    /// a zombie, and children at nice 5 and (where permitted) -5, each once its state has appeared.
    @Test(.enabled(if: installed("ps") != nil)) func statColumnMatchesPs() throws {
        let states = ProcessStates()
        var examples: [(String, ProcessStatus)] = []
        var children: [ProcessID] = []
        defer { children.forEach(killAndReap) }

        children.append(try spawn("paused", pauseForever))
        examples.append(("paused", try awaitStatus(children.last!) { $0.name == "paused" && $0.state == .sleeping }))

        children.append(try spawn("leader") {
            setsid()
            pauseForever()
        })
        let leader = children.last!
        examples.append(("setsid", try awaitStatus(leader) { $0.session == leader.rawValue && $0.state == .sleeping }))

        children.append(try spawn("stopped", pauseForever))
        _ = try awaitStatus(children.last!) { $0.name == "stopped" && $0.state == .sleeping }
        kill(children.last!.rawValue, SIGSTOP)
        examples.append(("SIGSTOP", try awaitStatus(children.last!) { $0.state == .stopped }))

        children.append(try spawn("zombie") { _exit(0) })
        examples.append(("zombie", try awaitStatus(children.last!) { $0.state == .zombie }))

        for nice: Int32 in [5, -5] {
            children.append(try spawn("nice", pauseForever))
            let child = children.last!
            _ = try awaitStatus(child) { $0.name == "nice" && $0.state == .sleeping }
            guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(child.rawValue), nice) == 0 else { continue }
            examples.append(("nice \(nice)", try awaitStatus(child) { $0.nice == nice }))
        }

        for (example, status) in examples {
            let ps = try Spawn.run(installed("ps")!, ["-o", "stat=", "-p", String(status.pid.rawValue)], timeout: 600)
            #expect(states.statColumn(status) == ps.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(example)")
        }
    }

    /// Verify that status(of:) reads the name after the first '(' up to the last ')', and the
    /// parent; that status(of:) and tree(of:) throw ESRCH once the child is reaped.
    @Test func statusReadsTheNameAndEndsWithTheProcess() throws {
        let child = try spawn("b) R (c", pauseForever)
        let status: ProcessStatus
        do {
            status = try awaitStatus(child) { $0.name == "b) R (c" && $0.state == .sleeping }
        } catch {
            killAndReap(child)
            throw error
        }
        #expect(status.parent == Fork().getpid())
        #expect(status.state == .sleeping && status.threads == 1 && status.lockedKiB == 0)
        killAndReap(child)
        #expect(throws: Errno.noSuchProcess) { try ProcessStates().status(of: child) }
        #expect(throws: Errno.noSuchProcess) { try ProcessTrees().tree(of: child) }
    }

    /// Verify that the demo runs every example, shows our STAT equal to ps's on each, draws the
    /// tree, and that no process it made is left once it has ended.
    @Test(.enabled(if: installed("ps") != nil)) func demoAgreesWithPsAndLeavesNothing() throws {
        let demo = try Repository.run("proc-states", [])
        #expect(demo.succeeded, "\(demo.stdout)\n\(demo.stderr)")
        let lines = demo.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let header = try #require(lines.firstIndex { $0.hasPrefix("example") }, "\(demo.stdout)")
        let rows = lines[(header + 1)...].prefix { !$0.isEmpty }
        #expect(rows.count == 13, "\(demo.stdout)")
        var pids: [pid_t] = []
        for row in rows {
            let words = row.split(separator: " ")
            #expect(!row.contains("differs"), "\(row)")
            if !row.contains("not permitted") {
                #expect(words.count >= 3 && words[words.count - 1] == words[words.count - 2], "\(row)")
            }
            pids += words.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid_t($0) }
        }
        let tree = lines.drop { !$0.hasPrefix("proc-states(") }.prefix { !$0.isEmpty }
        #expect(tree.count == 4, "\(demo.stdout)")
        for line in tree {
            pids += line.split(separator: "(").dropFirst().compactMap { pid_t($0.prefix { $0.isNumber }) }
        }
        #expect(pids.count >= 13 + 6)
        let names: Set = ["busy-loop", "pipe-reader", "sleeper", "stopped", "zombie", "nice", "mlocked", "setsid", "two-threads",
                          "foreground", "background", "parent", "child-1", "child-2", "grandchild", "orphan"]
        for pid in pids {
            if let left = try? ProcessStates().status(of: ProcessID(rawValue: pid)) {
                #expect(!names.contains(left.name), "pid \(pid) \(left.name) is still there")
            }
        }
    }
}

/// A process tree to make: a process named `name` (prctl), paused, or exited at once when `exits`
/// (a zombie, as its parent never waits; not a child of the root, which reaps at the end), and its
/// children.
struct Shape: Sendable, CustomStringConvertible {
    let name: String
    let exits: Bool
    let children: [Shape]

    init(_ name: String, exits: Bool = false, _ children: [Shape] = []) {
        self.name = name
        self.exits = exits
        self.children = children
    }

    var description: String {
        name.debugDescription + (children.isEmpty ? "" : "(" + children.map(\.description).joined(separator: ", ") + ")")
    }

    /// The name as /proc shows it: its first 15 bytes.
    var shownName: String { String(decoding: name.utf8.prefix(15), as: UTF8.self) }

    /// Whether `tree` has this shape, children compared by name: a tree lists them in pid order, which
    /// is not the order they were forked in once pids wrap around.
    func matches(_ tree: ProcessTree) -> Bool {
        tree.name == shownName && tree.children.count == children.count
            && zip(children.sorted { $0.shownName < $1.shownName }, tree.children.sorted { $0.name < $1.name })
                .allSatisfy { $0.matches($1) }
    }
}

/// The processes of a `Shape`, forked from this multi-threaded test process: a child forked here
/// may only make async-signal-safe calls, so each node is a plain loop over C arrays made before
/// the fork. The root is a child subreaper that reaps nothing until `end`: zombies stay in the
/// tree, and at the end every node is reaped, none left to init. Each node dies with its parent
/// (PR_SET_PDEATHSIG), so a test that crashes leaves no paused process.
final class ForkedTree {
    let root: ProcessID

    init(_ shape: Shape) throws {
        // The nodes in preorder: a node's children, and their subtrees, come after it.
        var nodes: [(name: String, parent: Int, exits: Bool)] = []
        func add(_ shape: Shape, parent: Int) {
            let index = nodes.count
            nodes.append((shape.name, parent, shape.exits))
            for child in shape.children { add(child, parent: index) }
        }
        add(shape, parent: -1)
        let names = nodes.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        let parents = nodes.map(\.parent)
        let exits = nodes.map(\.exits)
        let pid = names.withUnsafeBufferPointer { names in
            parents.withUnsafeBufferPointer { parents in
                exits.withUnsafeBufferPointer { exits in
                    let pid = fork()
                    if pid == 0 { Self.grow(names: names, parents: parents, exits: exits) }
                    return pid
                }
            }
        }
        guard pid > 0 else { throw Errno.current }
        root = ProcessID(rawValue: pid)
    }

    /// In the forked root: becomes node 0, then walks the nodes in order, forking each child of the
    /// node it is; a forked child goes on walking as that child, whose children follow it. The
    /// other nodes then pause; the root waits for SIGUSR1 and reaps until it has no child left.
    private static func grow(names: UnsafeBufferPointer<UnsafeMutablePointer<CChar>?>, parents: UnsafeBufferPointer<Int>,
                             exits: UnsafeBufferPointer<Bool>) -> Never {
        var done = sigset_t()
        sigemptyset(&done)
        sigaddset(&done, SIGUSR1)
        sigprocmask(SIG_BLOCK, &done, nil)
        _ = cs_set_child_subreaper(1)
        var node = 0
        become(node, names: names, exits: exits)
        var next = 1
        while next < parents.count {
            if parents[next] == node && fork() == 0 {
                node = next
                become(node, names: names, exits: exits)
            }
            next += 1
        }
        guard node == 0 else { pauseForever() }
        var signal: CInt = 0
        sigwait(&done, &signal)
        while wait(nil) != -1 || errno == EINTR {}
        _exit(0)
    }

    private static func become(_ node: Int, names: UnsafeBufferPointer<UnsafeMutablePointer<CChar>?>,
                               exits: UnsafeBufferPointer<Bool>) {
        _ = cs_set_parent_death_signal(SIGKILL)
        _ = cs_set_process_name(names[node])
        if exits[node] { _exit(0) }
    }

    /// Kills every node but the root; the root, their subreaper, reaps them all, then exits and is
    /// reaped here.
    func end() {
        let nodes = (try? ProcessTrees().tree(of: root).pids.dropFirst()) ?? []
        for node in nodes { kill(node.rawValue, SIGKILL) }
        kill(root.rawValue, SIGUSR1)
        _ = try? Wait().waitpid(root, options: [])
    }
}

/// Forks a child named `name` that runs `body`, which never returns and makes only async-signal-safe
/// calls (this process has many threads); it dies with the test's thread (PR_SET_PDEATHSIG).
private func spawn(_ name: StaticString, _ body: () -> Never) throws -> ProcessID {
    let pid = fork()
    if pid == 0 {
        _ = cs_set_parent_death_signal(SIGKILL)
        _ = cs_set_process_name(UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self))
        body()
    }
    guard pid > 0 else { throw Errno.current }
    return ProcessID(rawValue: pid)
}

private func pauseForever() -> Never {
    while true { pause() }
}

/// Kills `pid` with SIGKILL and reaps it.
private func killAndReap(_ pid: ProcessID) {
    kill(pid.rawValue, SIGKILL)
    _ = try? Wait().waitpid(pid, options: [])
}

/// Asks `probe` until it returns a value. A guard of 60 s keeps a broken reference from hanging the
/// suite; the states come at once, so it is no measure.
private func poll<Value>(_ what: @autoclosure () -> String, _ probe: () throws -> Value?) throws -> Value {
    let deadline = Deadline(after: 60)
    while true {
        if let value = try probe() { return value }
        guard !deadline.hasPassed else { throw CheckFailure("\(what()) never appeared") }
        usleep(1000)
    }
}

/// Polls `pid`'s status until `reached` holds.
private func awaitStatus(_ pid: ProcessID, _ reached: (ProcessStatus) -> Bool) throws -> ProcessStatus {
    try poll("the awaited state of pid \(pid)") {
        let status = try ProcessStates().status(of: pid)
        return reached(status) ? status : nil
    }
}

/// The path of `tool` in $PATH, or nil when it is not installed.
private func installed(_ tool: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(tool)" }.first { access($0, X_OK) == 0 }
}
