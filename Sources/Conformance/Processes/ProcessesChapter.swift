extension Chapter {
    /// 进程, 基于fork的多进程编程, 孤儿和僵尸: creating processes, ending them, reaping them,
    /// and what happens to orphans and zombies.
    public static let processes = Chapter(
        id: "processes",
        title: "Processes: fork, exit, wait, orphans and zombies",
        sections: ["进程理论基础", "fork使用", "进程相关函数", "孤儿和僵尸"],
        concepts: [forkConcept, exitConcept, waitConcept, orphansConcept, zombiesConcept])

    private static let forkConcept: Concept.Draft =
    .concept("fork", api: "ForkAPI", mirrors: "os.fork(), os.getpid(), os.getppid()", rules: [
        .rule("FORK-1", "fork使用", c: true,
              """
              fork returns .child in the new process and .parent(child:) with the new process's pid in \
              the caller (os.fork's 0 and pid).
              """),
        .rule("FORK-2", "进程相关函数", c: true,
              """
              In the child, getpid() is the pid the parent got from fork and getppid() is the parent's \
              getpid().
              """),
        .rule("FORK-3", "fork使用", c: true,
              """
              The child starts with a copy of the parent's memory: it sees what the parent wrote \
              before fork, and after fork neither process sees the other's writes.
              """),
        .rule("FORK-4", "fork使用", c: true,
              """
              Parent and child run independently: fork returns in the parent while the child is \
              blocked, and the child runs on while the parent is blocked.
              """),
        .rule("FORK-5", "fork使用", c: true,
              """
              When the process limit is reached (RLIMIT_NPROC), fork throws EAGAIN and creates no \
              child.
              """),
        .rule("FORK-6", "fork使用", c: true,
              """
              The child inherits the parent's open descriptors and shares their file offset: a write \
              by the parent after the child's lands after it.
              """),
        .rule("FORK-7", "fork使用", c: true, severity: .optional,
              """
              fork copies unflushed stdio buffers: text printed but not flushed before fork is written \
              by both processes when each exits normally.
              """),
    ])

    private static let exitConcept: Concept.Draft =
    .concept("exit", api: "ExitAPI", mirrors: "os._exit(n), sys.exit(n), sys.exit(\"message\")", rules: [
        .rule("EXIT-1", "进程相关函数", c: true,
              """
              exitImmediately(n) (os._exit) ends the process with exit status n, as the parent's wait \
              reports it.
              """),
        .rule("EXIT-2", "进程相关函数", c: true,
              """
              exitImmediately skips atexit handlers and discards output still in stdio buffers.
              """),
        .rule("EXIT-3", "进程相关函数", c: true,
              """
              exit(n) (sys.exit) runs the atexit handlers and flushes stdio buffers, then ends with \
              status n.
              """),
        .rule("EXIT-4", "进程相关函数", c: false,
              """
              exit(message:) (sys.exit("message")) writes the message and a newline to stderr, nothing \
              to stdout, and ends with status 1.
              """),
        .rule("EXIT-5", "进程相关函数", c: true,
              """
              Only the low 8 bits of an exit status reach the parent: status 259 is reported as 3 and \
              -1 as 255.
              """),
    ])

    private static let waitConcept: Concept.Draft =
    .concept("wait", api: "WaitAPI", mirrors: "os.wait(), os.waitpid(pid, options), os.WIFEXITED() ...", rules: [
        .rule("WAIT-1", "孤儿和僵尸", c: true,
              """
              wait() returns the pid of a child that exited with code n and reports exited(code: n).
              """),
        .rule("WAIT-2", "孤儿和僵尸", c: true,
              """
              A child killed by a signal is reported as signaled with that signal (SIGKILL, SIGTERM), \
              not as exited.
              """),
        .rule("WAIT-3", "孤儿和僵尸", c: true,
              """
              waitpid(pid, options: .noHang) returns nil while the child is still running: no change \
              yet is not an error (Python returns (0, 0)).
              """),
        .rule("WAIT-4", "孤儿和僵尸", c: true,
              """
              wait() in a process with no children throws ECHILD at once instead of blocking.
              """),
        .rule("WAIT-5", "孤儿和僵尸", c: true,
              """
              Waiting again for a child that was already reaped throws ECHILD.
              """),
        .rule("WAIT-6", "孤儿和僵尸", c: true,
              """
              With .untraced waitpid reports a child stopped by SIGSTOP as stopped(SIGSTOP), and with \
              .continued it reports continued after SIGCONT.
              """),
        .rule("WAIT-7", "孤儿和僵尸", c: true,
              """
              waitpid(pid) waits for that child only: a sibling that exited first stays unreaped and \
              is reported by a later wait.
              """),
        .rule("WAIT-8", "孤儿和僵尸", c: false,
              """
              decode agrees with WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, \
              WSTOPSIG and WIFCONTINUED on every status word the kernel produces.
              """),
        .rule("WAIT-9", "孤儿和僵尸", c: true,
              """
              wait() blocks while the only child is running and returns when that child exits.
              """),
        .rule("WAIT-10", "孤儿和僵尸", c: false, severity: .optional,
              """
              A signal handled while wait() blocks does not surface as EINTR: wait retries and returns \
              the child's status (PEP 475).
              """),
    ])

    private static let orphansConcept: Concept.Draft =
    .concept("orphans", api: "OrphanAPI", mirrors: "prctl(PR_SET_CHILD_SUBREAPER) (no os function)", rules: [
        .rule("ORPHAN-1", "孤儿和僵尸", c: true,
              """
              An orphan is adopted by its nearest living subreaper ancestor: after \
              setChildSubreaper(true), an orphaned grandchild's getppid() becomes this process.
              """),
        .rule("ORPHAN-2", "孤儿和僵尸", c: true,
              """
              A subreaper reaps the orphans it adopted: its wait returns their pid and exit status.
              """),
        .rule("ORPHAN-3", "孤儿和僵尸", c: true,
              """
              isChildSubreaper() reports the setting, and a forked child does not inherit it.
              """),
    ])

    private static let zombiesConcept: Concept.Draft =
    .concept("zombies", api: "ZombieAPI", mirrors: "ps STAT, day1/child.py, signal.signal(SIGCHLD, SIG_IGN)", rules: [
        .rule("ZOMBIE-1", "孤儿和僵尸", c: true,
              """
              A child that has exited but has not been waited for is a zombie: state(of:) reports \
              .zombie (Z) until its parent reaps it.
              """),
        .rule("ZOMBIE-2", "孤儿和僵尸", c: true,
              """
              Reaping a zombie removes it: afterwards state(of:) throws ESRCH.
              """),
        .rule("ZOMBIE-3", "进程理论基础", c: true, severity: .optional,
              """
              state(of:) takes the state after the last ')' of /proc/<pid>/stat, so a process name \
              with spaces or ')' does not confuse it.
              """),
        .rule("ZOMBIE-4", "孤儿和僵尸", c: true,
              """
              doubleFork runs the work in a grandchild that ends when the work returns, and returns after \
              reaping the intermediate child: no zombie is left and the grandchild is re-parented.
              """),
        .rule("ZOMBIE-5", "孤儿和僵尸", c: true,
              """
              With SIGCHLD set to .ignore, exited children are reaped by the kernel: they never become \
              zombies and wait throws ECHILD.
              """),
        .rule("ZOMBIE-6", "孤儿和僵尸", c: true,
              """
              signal(_:_:) returns the previous disposition, as signal.signal does, and restoring \
              SIGCHLD's default brings zombies back.
              """),
    ])
}
