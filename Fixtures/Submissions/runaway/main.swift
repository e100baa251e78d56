// A submission that leaves processes behind. Graded: ORPHAN-1, ORPHAN-2 and ORPHAN-3 crash (the
// runner was killed), every other rule passes, and nothing of it is left running or unreaped after
// the grade.
// - doubleFork also starts a runaway: a new session (setsid) whose process ignores SIGTERM and
//   SIGHUP and waits forever, its pid appended to the file named by $RUNAWAY_PIDS;
// - state(of:) also forks a child it never reaps, a zombie;
// - setChildSubreaper starts a runaway and then kills the runner that supervises its check (once), so
//   the runaway escapes the runner's sandbox and only the grader itself can clean up.
import Conformance
import Coroutines
import Foundation
import Glibc
import Multiprocessing
import Networking
import Processes
import Threading

/// Starts a process that escapes the process group and never ends on its own.
func startRunaway() {
    let child = fork()
    if child > 0 {
        var status: CInt = 0
        waitpid(child, &status, 0)  // reaped: only the runaway itself is left behind
        return
    }
    setsid()
    if fork() != 0 { _exit(0) }  // the runaway is an orphan in a session of its own
    signal(SIGTERM, SIG_IGN)
    signal(SIGHUP, SIG_IGN)
    if let path = ProcessInfo.processInfo.environment["RUNAWAY_PIDS"] {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        let line = "\(getpid())\n"
        _ = write(fd, line, line.utf8.count)
        close(fd)
    }
    // Asleep, not spinning: a runaway lives until the grade ends, and spinning it would take the
    // CPU from the rules graded beside it (with two cores, a server rule then timed out).
    while true { pause() }
}

struct MessyZombies: ZombieAPI {
    func state(of pid: ProcessID) throws(Errno) -> ProcessState {
        if fork() == 0 { _exit(0) }  // never reaped
        return try Zombies().state(of: pid)
    }
    func doubleFork(_ work: () -> Void) throws(Errno) {
        startRunaway()
        try Zombies().doubleFork(work)
    }
    func signal(_ signal: Signal, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition {
        try Zombies().signal(signal, disposition)
    }
}

/// Whether this process has already killed its runner: afterwards its parent is the grader.
nonisolated(unsafe) var killedTheRunner = false

struct RunnerKillingOrphans: OrphanAPI {
    func setChildSubreaper(_ enabled: Bool) throws(Errno) {
        if !killedTheRunner {
            killedTheRunner = true
            startRunaway()
            kill(getppid(), SIGKILL)  // the check process's parent is the runner's sandbox
        }
        try Orphans().setChildSubreaper(enabled)
    }
    func isChildSubreaper() throws(Errno) -> Bool { try Orphans().isChildSubreaper() }
}

RuleRunner.main([ForkSpec(Fork()), ExitSpec(Exit()), WaitSpec(Wait()), OrphanSpec(RunnerKillingOrphans()),
                 ZombieSpec(MessyZombies()),
                 ProcessStatesSpec(ProcessStates()), ProcessTreeSpec(ProcessTrees()),
                 ProcessSpec(ProcessFactory()), PoolSpec(PoolFactory()),
                 PipeSpec(PipeFactory()), QueueSpec(QueueFactory()),
                 SharedMemorySpec(SharedMemoryFactory()), SemaphoreSpec(SemaphoreFactory()),
                 ThreadSpec(ThreadFactory()), EventSpec(EventFactory()), LockSpec(LockFactory()),
                 DeadlockSpec(DeadlockFactory()), GILSpec(GILFactory()),
                 SocketSpec(SocketFactory()), SelectorSpec(SelectorFactory()), EchoServerSpec(EchoServers()), ServerModelSpec(EchoServers()),
                 ChatRoomSpec(ChatRooms()), FTPServerSpec(FTPServers()), HTTPServerSpec(HTTPServers()), CoroutineSpec(CoroutineFactory()), HubSpec(HubFactory()), AsyncLoopSpec(AsyncLoopFactory())])
