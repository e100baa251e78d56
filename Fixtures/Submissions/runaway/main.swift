// A submission that leaves processes behind but gets every answer right. Graded: full marks, and
// nothing of it is left running or unreaped after the grade.
// - doubleFork also starts a runaway: a new session (setsid) whose process ignores SIGTERM and
//   SIGHUP and spins forever, its pid appended to the file named by $RUNAWAY_PIDS;
// - state(of:) also forks a child it never reaps, a zombie.
import Conformance
import Foundation
import Glibc
import Processes

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
    while true {}
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

RuleRunner.main([ForkSpec(Fork()), ExitSpec(Exit()), WaitSpec(Wait()), OrphanSpec(Orphans()), ZombieSpec(MessyZombies())])
