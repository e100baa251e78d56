import CSystem
import Glibc

/// The checks of TREE-1 ... TREE-5 against an implementation of `ProcessTreeAPI`: real process trees
/// compared with the one the check reads from `/proc` itself, and drawings compared with pstree's.
public struct ProcessTreeSpec<Implementation: ProcessTreeAPI>: Spec {
    public static var concept: String { "tree" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("TREE-1", childIsUnderTheForkingProcess),
            Check("TREE-2", orphanIsUnderTheSubreaper),
            Check("TREE-3", treeListsExactlyTheLiveDescendants),
            Check("TREE-4", renderDrawsAsPstree),
            Check("TREE-5", orphanInANamespaceGoesToItsInit),
        ]
    }

    /// The implementation's tree of `pid`, which must equal the one read from /proc.
    @discardableResult
    private func expectTree(of pid: ProcessID, _ what: String) throws -> ProcessTree {
        step("tree(of: \(pid)) of \(what)")
        let seen: ProcessTree
        do {
            seen = try implementation.tree(of: pid)
        } catch {
            throw CheckFailure("tree(of:) of \(what) threw \(error)")
        }
        guard let truth = PS.tree(of: pid) else {
            throw CheckFailure("\(what) is gone: the check cannot compare", expected: nil, actual: nil, isBroken: true)
        }
        try expectEqual(seen, truth, "tree(of:) of \(what)")
        return seen
    }

    /// A child named `name` that then pauses; returns once /proc shows the name and the pause.
    private func namedChild(_ family: Family, _ name: String) throws -> ProcessID {
        let child = try family.child { _ = cs_set_process_name(name) }
        family.await(child, "waiting for the child named \(name) to pause") { $0.state == .sleeping && $0.name == name }
        return child
    }

    /// TREE-1: a forked child is directly under the forking process.
    func childIsUnderTheForkingProcess() throws {
        let family = try Family()
        defer { family.end() }
        let child = try namedChild(family, "tree-child")
        let tree = try expectTree(of: ProcessID(rawValue: getpid()), "the check process with one child")
        try expectEqual(tree.children.map(\.pid), [child], "the children tree(of:) shows under the forking process")
        try expectEqual(tree.children.first?.name, "tree-child", "the name of the child")
    }

    /// TREE-2: after a double fork whose middle child ended, the grandchild, a daemon in a session of
    /// its own, is under the subreaper.
    func orphanIsUnderTheSubreaper() throws {
        let family = try Family()  // the check process is now a child subreaper
        defer { family.end() }
        let report = try Pipe()
        let middle = try Children.fork {
            let grandchild = Glibc.fork()
            if grandchild == 0 {
                _ = setsid()
                _ = cs_set_process_name("orphan")
                while true { pause() }
            }
            report.write(grandchild)
            return 0
        }
        let orphan = ProcessID(rawValue: try report.readInt32("the middle child ended before forking"))
        _ = try Children.reap(middle)
        let subreaper = ProcessID(rawValue: getpid())
        family.await(orphan, "waiting for the orphan to be adopted and named") {
            $0.parent == subreaper && $0.name == "orphan" && $0.state == .sleeping && $0.session == $0.pid.rawValue
        }
        let tree = try expectTree(of: subreaper, "the subreaper after its child ended, leaving a grandchild")
        try expectEqual(tree.children.map(\.pid), [orphan], "the children of the subreaper")
    }

    /// TREE-3: a tree of four generations with a zombie and a name holding " " and ")"; a child that
    /// ends stays (a zombie) until reaped, then leaves; a pid that does not exist throws ESRCH.
    func treeListsExactlyTheLiveDescendants() throws {
        let family = try Family()
        defer { family.end() }
        let endC = try Pipe()
        let reapC = try Pipe()
        // top -+- "a b) R (c" --- d
        //      |- c (ends when told; top reaps it when told)
        //      `- e (ends at once: a zombie)
        let top = try family.child {
            _ = cs_set_process_name("tree-top")
            if Glibc.fork() == 0 {
                _ = cs_set_process_name("a b) R (c")
                if Glibc.fork() == 0 { _ = cs_set_process_name("tree-d") }
                return
            }
            let c = Glibc.fork()
            if c == 0 {
                _ = cs_set_process_name("tree-c")
                var byte: UInt8 = 0
                _ = Glibc.read(endC.readEnd, &byte, 1)
                _exit(0)
            }
            if Glibc.fork() == 0 { _exit(0) }
            var byte: UInt8 = 0
            _ = Glibc.read(reapC.readEnd, &byte, 1)
            _ = waitpid(c, nil, 0)
        }
        let names = ["a b) R (c", "tree-c", "tree-d"]
        step("waiting for the tree under \(top) to grow: three named processes asleep and a zombie")
        var c = ProcessID(rawValue: 0)
        while true {
            let statuses = (PS.tree(of: top)?.pids.dropFirst() ?? []).compactMap(PS.status)
            let named = statuses.filter { names.contains($0.name) && $0.state == .sleeping }
            if named.count == 3 && statuses.count == 4 && statuses.contains(where: { $0.state == .zombie }) {
                c = named.first { $0.name == "tree-c" }!.pid
                break
            }
            usleep(1000)
        }
        try expectTree(of: top, "a tree with a grandchild, a zombie and a name holding ' ' and ')'")
        endC.write(1)
        _ = Children.awaitState(c, in: ["Z"], "waiting for the child told to end to become a zombie")
        let withZombie = try expectTree(of: top, "the same tree once a child ended and is not reaped yet")
        try expectTrue(withZombie.pids.contains(c), "a child that ended but is not reaped is missing from the tree")
        reapC.write(1)
        _ = Children.awaitState(c, in: [nil], "waiting for the ended child to be reaped")
        let reaped = try expectTree(of: top, "the same tree once the ended child was reaped")
        try expectTrue(!reaped.pids.contains(c), "a reaped child is still in the tree")
        let nobody = ProcessID(rawValue: Int32.max - 1)  // above any pid_max (at most 2^22)
        try expectThrows(Errno.noSuchProcess, "tree(of: \(nobody)), a pid that does not exist") { () throws(Errno) in
            try implementation.tree(of: nobody)
        }
    }

    /// TREE-4: drawings of made-up trees, checked against pstree's output for the same shapes, and of
    /// a real tree, checked against pstree itself when it is installed.
    func renderDrawsAsPstree() throws {
        func node(_ name: String, _ pid: Int32, _ children: [ProcessTree] = []) -> ProcessTree {
            ProcessTree(pid: ProcessID(rawValue: pid), name: name, children: children)
        }
        let drawings: [(ProcessTree, String)] = [
            (node("init", 1), "init(1)\n"),
            (node("a", 1, [node("b", 2, [node("c", 3)])]), "a(1)---b(2)---c(3)\n"),
            (node("p", 1, [node("q", 2), node("r", 3, [node("s", 4), node("t", 5)])]),
             "p(1)-+-q(2)\n     `-r(3)-+-s(4)\n            `-t(5)\n"),
            (node("root", 18842, [
                node("a", 18843, [node("aa", 18847), node("ab", 18848, [node("aba", 18849)])]),
                node("b) R (c", 18844, [node("ba", 18846)]),
                node("c", 18845),
            ]),
             """
             root(18842)-+-a(18843)-+-aa(18847)
                         |          `-ab(18848)---aba(18849)
                         |-b) R (c(18844)---ba(18846)
                         `-c(18845)

             """),
        ]
        for (tree, drawing) in drawings {
            step("render a tree of \(tree.pids.count) processes")
            try expectEqual(implementation.render(tree), drawing, "render of the tree of \(tree.name)(\(tree.pid))")
        }
        let family = try Family()
        defer { family.end() }
        let top = try family.child {
            _ = cs_set_process_name("draw-top")
            for name in ["first", "second-child", "third"] {
                if Glibc.fork() == 0 {
                    _ = cs_set_process_name(name)
                    if name == "second-child", Glibc.fork() == 0 { _ = cs_set_process_name("grandchild") }
                    return
                }
            }
        }
        step("waiting for the tree under \(top) to grow: five named processes asleep")
        // The names are taken from the tree read, not from a later read: a child renames itself before
        // it pauses, so a tree read showing every final name shows the final tree once all are asleep.
        let final: Set = ["draw-top", "first", "second-child", "third", "grandchild"]
        func names(in tree: ProcessTree) -> [String] { [tree.name] + tree.children.flatMap(names(in:)) }
        var real = PS.tree(of: top)
        while real.map({ Set(names(in: $0)) != final || $0.pids.count != 5
                         || !$0.pids.allSatisfy { PS.status($0)?.state == .sleeping } }) ?? true {
            usleep(1000)
            real = PS.tree(of: top)
        }
        guard let real, let printed = try PS.run("pstree", ["-p", "-n", "-A", "-T", "-l", String(top.rawValue)]) else {
            note("pstree is not installed (Debian package psmisc): only the drawings of made-up trees were compared")
            return
        }
        try expectEqual(implementation.render(real), printed, "render of a real tree, as pstree -p -n -A -T -l prints it")
        note("compared with pstree on a real tree")
    }

    /// TREE-5: the check process is a subreaper, yet an orphan in a new PID namespace is adopted by
    /// that namespace's init: creator --- ns-init --- ns-orphan once the orphan's parent has ended.
    func orphanInANamespaceGoesToItsInit() throws {
        let family = try Family()
        defer { family.end() }
        let report = try Pipe()
        let creator = try family.child {
            let branch = cs_unshare_pid_namespace()
            report.write(branch < 0 ? -errno : branch)
            guard branch >= 0, Glibc.fork() == 0 else { return }
            _ = cs_set_process_name("ns-init")  // pid 1 of the new namespace
            let middle = Glibc.fork()
            if middle == 0 {
                if Glibc.fork() == 0 {
                    _ = cs_set_process_name("ns-orphan")
                    return
                }
                _exit(0)  // the middle ends: its child is an orphan
            }
            _ = waitpid(middle, nil, 0)
        }
        let branch = try report.readInt32("the child ended before making a PID namespace")
        guard branch >= 0 else {
            throw Unsupported("a new PID namespace needs CAP_SYS_ADMIN or an unprivileged user namespace: "
                              + "unshare failed with \(Errno(rawValue: -branch))")
        }
        note(branch == 0 ? "in a new PID namespace (CAP_SYS_ADMIN)" : "in a new user and PID namespace, unprivileged")
        step("waiting for ns-init, under \(creator), to adopt ns-orphan once its parent ended")
        while true {
            let adopted = PS.tree(of: creator)?.children.first?.children
            if adopted?.map(\.name) == ["ns-orphan"], PS.status(adopted![0].pid)?.state == .sleeping { break }
            usleep(1000)
        }
        let tree = try expectTree(of: creator, "a process whose child is the init of a new PID namespace with an orphan in it")
        try expectEqual(tree.children.first?.children.map(\.name), ["ns-orphan"],
                        "the processes tree(of:) shows under the namespace's init")
    }
}
