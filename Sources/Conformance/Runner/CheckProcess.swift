import Glibc

/// The process that runs one check: its own process group, stdin from /dev/null, stdout and stderr
/// captured, and a record of its descriptors and children before and after, for hygiene.
enum CheckProcess {
    static func run(_ check: Check, results: CInt, output: CInt) -> Never {
        setpgid(0, 0)
        let null = open("/dev/null", O_RDONLY)
        dup2(null, 0)
        close(null)
        dup2(output, 1)
        dup2(output, 2)
        close(output)
        ResultChannel.descriptor = results
        ResultChannel.checkProcess = getpid()
        let before = ProcFS.openDescriptors()

        var record = ResultChannel.Record(kind: .result, status: .pass)
        do {
            try check.body()
        } catch let unsupported as Unsupported {
            record.status = .unsupported
            record.text = unsupported.reason
        } catch let failure as CheckFailure {
            record.status = failure.isBroken ? .broken : .fail
            record.text = failure.message
            record.expected = failure.expected
            record.actual = failure.actual
        } catch {
            record.status = .fail
            record.text = "unexpected error \(error)" + (ResultChannel.lastStep.map { " while \($0)" } ?? "")
        }
        // A process the implementation forked may have returned into the check's code and reached
        // this point: it ends quietly, for only the check process reports the result.
        guard ResultChannel.isCheckProcess else { _exit(0) }
        record.leakedDescriptors = ProcFS.openDescriptors().subtracting(before).sorted()
        record.unreapedChildren = reapChildren()
        ResultChannel.write(record)
        fflush(nil)
        _exit(0)
    }

    /// Reaps children the check left behind and returns how many there were.
    private static func reapChildren() -> Int {
        var count = 0
        var status: CInt = 0
        while true {
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0 {
                count += 1
            } else if pid == 0 {
                // Still running: counted, then left to the sandbox, which kills it.
                return count + ProcFS.children(of: getpid()).count
            } else {
                return count
            }
        }
    }
}
