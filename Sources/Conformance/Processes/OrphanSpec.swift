import Glibc

/// The checks of ORPHAN-1 ... ORPHAN-3 against an implementation of `OrphanAPI`.
///
/// The sandbox running the check is itself a subreaper, so an orphan that this process fails to
/// adopt goes to the sandbox: the checks see exactly which subreaper is nearest.
public struct OrphanSpec<Implementation: OrphanAPI>: Spec {
    public static var concept: String { "orphans" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("ORPHAN-1", orphanIsAdoptedByTheSubreaper),
            Check("ORPHAN-2", subreaperReapsItsOrphans),
            Check("ORPHAN-3", settingIsReportedAndNotInherited),
        ]
    }

    /// Enables the subreaper setting, then makes an orphan: a grandchild whose parent has exited and
    /// been reaped. Once released, the orphan reports its `getppid()` on the returned pipe and exits with `code`.
    private func adoptOrphan(exitingWith code: CInt) throws -> (orphan: ProcessID, report: Pipe) {
        step("setChildSubreaper(true)")
        try implementation.setChildSubreaper(true)
        let release = try Pipe()
        let report = try Pipe()
        let parent = try Children.fork {
            guard let grandchild = try? Children.fork({
                _ = try? release.readInt32("")
                report.write(getppid())
                return code
            }) else { return 1 }
            report.write(grandchild.rawValue)
            return 0
        }
        let grandchild = try report.readInt32("the intermediate child could not fork the grandchild")
        try expectEqual(try Children.reap(parent), .exited(code: 0), "the intermediate child's status")
        release.write(1)
        report.closeWriteEnd()
        return (ProcessID(rawValue: grandchild), report)
    }

    /// ORPHAN-1: after setChildSubreaper(true) the orphan's getppid() is this process.
    func orphanIsAdoptedByTheSubreaper() throws {
        let (orphan, report) = try adoptOrphan(exitingWith: 0)
        let parent = try report.readInt32("the orphan ended without reporting its parent")
        _ = try? Children.reap(orphan)
        try expectEqual(parent, getpid(), "the orphan's getppid() after its parent exited")
    }

    /// ORPHAN-2: the subreaper's wait returns the adopted orphan's pid and exit status.
    func subreaperReapsItsOrphans() throws {
        let (orphan, report) = try adoptOrphan(exitingWith: 7)
        _ = try report.readInt32("the orphan ended without reporting")
        var raw: CInt = 0
        step("waitpid(-1) for the adopted orphan")
        let reaped = waitpid(-1, &raw, 0)
        try expectEqual(reaped, orphan.rawValue, "the pid waitpid(-1) returned in the subreaper")
        try expectEqual(Children.decode(raw), .exited(code: 7), "the adopted orphan's status")
    }

    /// ORPHAN-3: false, true after enabling, false in a forked child, false after disabling.
    func settingIsReportedAndNotInherited() throws {
        try expectEqual(try implementation.isChildSubreaper(), false, "isChildSubreaper() at the start")
        try implementation.setChildSubreaper(true)
        try expectEqual(try implementation.isChildSubreaper(), true, "isChildSubreaper() after enabling")
        let report = try Pipe()
        let child = try Children.fork {
            report.write((try? implementation.isChildSubreaper()) == true ? 1 : 0)
            return 0
        }
        report.closeWriteEnd()
        let inherited = try report.readInt32("the child ended without reporting")
        _ = try Children.reap(child)
        try expectEqual(inherited == 1, false, "isChildSubreaper() in a forked child")
        try implementation.setChildSubreaper(false)
        try expectEqual(try implementation.isChildSubreaper(), false, "isChildSubreaper() after disabling")
    }
}
