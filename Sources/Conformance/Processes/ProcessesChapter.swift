extension Chapter {
    /// 进程, 基于fork的多进程编程, 孤儿和僵尸: creating processes, ending them, reaping them,
    /// and what happens to orphans and zombies.
    public static let processes = Chapter(
        id: "processes",
        title: "Processes: fork, exit, wait, orphans and zombies",
        chineseTitle: "进程：fork、退出、wait、孤儿进程和僵尸进程",
        sections: ["进程理论基础", "fork使用", "进程相关函数", "孤儿和僵尸"],
        concepts: [forkConcept, exitConcept, waitConcept, orphansConcept, zombiesConcept])

    private static let forkConcept: Concept.Draft =
    .concept("fork", api: "ForkAPI", mirrors: "os.fork(), os.getpid(), os.getppid()", rules: [
        .rule("FORK-1", "fork使用", c: true,
              """
              fork returns .child in the new process and .parent(child:) with the new process's pid in \
              the caller (os.fork's 0 and pid).
              """,
              zh: """
              fork 在新进程中返回 .child，在调用者中返回 .parent(child:) 和新进程的 pid\
              （即 os.fork 的 0 和 pid）。
              """),
        .rule("FORK-2", "进程相关函数", c: true,
              """
              In the child, getpid() is the pid the parent got from fork and getppid() is the parent's \
              getpid().
              """,
              zh: """
              在子进程中，getpid() 就是父进程从 fork 得到的 pid，getppid() 就是父进程的 getpid()。
              """),
        .rule("FORK-3", "fork使用", c: true,
              """
              The child starts with a copy of the parent's memory: it sees what the parent wrote \
              before fork, and after fork neither process sees the other's writes.
              """,
              zh: """
              子进程从父进程内存空间的一份副本开始运行：它能看到父进程在 fork 之前写入的内容，\
              fork 之后哪个进程都看不到对方的写入。
              """),
        .rule("FORK-4", "fork使用", c: true,
              """
              Parent and child run independently: fork returns in the parent while the child is \
              blocked, and the child runs on while the parent is blocked.
              """,
              zh: """
              父子进程各自独立运行：子进程阻塞时 fork 照样在父进程中返回，\
              父进程阻塞时子进程照样继续运行。
              """),
        .rule("FORK-5", "fork使用", c: true,
              """
              When the process limit is reached (RLIMIT_NPROC), fork throws EAGAIN and creates no \
              child.
              """,
              zh: """
              达到进程数上限（RLIMIT_NPROC）时，fork 抛出 EAGAIN，且不创建子进程。
              """),
        .rule("FORK-6", "fork使用", c: true,
              """
              The child inherits the parent's open descriptors and shares their file offset: a write \
              by the parent after the child's lands after it.
              """,
              zh: """
              子进程继承父进程打开的文件描述符，并共享它们的文件偏移量：\
              父进程在子进程之后写入的内容落在子进程写入的内容之后。
              """),
        .rule("FORK-7", "fork使用", c: true, severity: .optional,
              """
              fork copies unflushed stdio buffers: text printed but not flushed before fork is written \
              by both processes when each exits normally.
              """,
              zh: """
              fork 会复制尚未刷新的 stdio 缓冲区：fork 之前打印但未刷新的文本，\
              在两个进程各自正常退出时各被写出一次。
              """),
    ])

    private static let exitConcept: Concept.Draft =
    .concept("exit", api: "ExitAPI", mirrors: "os._exit(n), sys.exit(n), sys.exit(\"message\")", rules: [
        .rule("EXIT-1", "进程相关函数", c: true,
              """
              exitImmediately(n) (os._exit) ends the process with exit status n, as the parent's wait \
              reports it.
              """,
              zh: """
              exitImmediately(n)（os._exit）以退出状态 n 结束进程，\
              父进程的 wait 报告的正是这个状态。
              """),
        .rule("EXIT-2", "进程相关函数", c: true,
              """
              exitImmediately skips atexit handlers and discards output still in stdio buffers.
              """,
              zh: """
              exitImmediately 不执行 atexit 处理函数，并丢弃仍在 stdio 缓冲区中的输出。
              """),
        .rule("EXIT-3", "进程相关函数", c: true,
              """
              exit(n) (sys.exit) runs the atexit handlers and flushes stdio buffers, then ends with \
              status n.
              """,
              zh: """
              exit(n)（sys.exit）先执行 atexit 处理函数、刷新 stdio 缓冲区，再以状态 n 结束。
              """),
        .rule("EXIT-4", "进程相关函数", c: false,
              """
              exit(message:) (sys.exit("message")) writes the message and a newline to stderr, nothing \
              to stdout, and ends with status 1.
              """,
              zh: """
              exit(message:)（sys.exit("message")）把消息和一个换行写到 stderr，\
              不向 stdout 写任何内容，并以状态 1 结束。
              """),
        .rule("EXIT-5", "进程相关函数", c: true,
              """
              Only the low 8 bits of an exit status reach the parent: status 259 is reported as 3 and \
              -1 as 255.
              """,
              zh: """
              退出状态只有低 8 位能传到父进程：状态 259 报告为 3，-1 报告为 255。
              """),
    ])

    private static let waitConcept: Concept.Draft =
    .concept("wait", api: "WaitAPI", mirrors: "os.wait(), os.waitpid(pid, options), os.WIFEXITED() ...", rules: [
        .rule("WAIT-1", "孤儿和僵尸", c: true,
              """
              wait() returns the pid of a child that exited with code n and reports exited(code: n).
              """,
              zh: """
              wait() 返回以退出码 n 退出的子进程的 pid，并报告 exited(code: n)。
              """),
        .rule("WAIT-2", "孤儿和僵尸", c: true,
              """
              A child killed by a signal is reported as signaled with that signal (SIGKILL, SIGTERM), \
              not as exited.
              """,
              zh: """
              被信号杀死的子进程报告为被该信号（SIGKILL、SIGTERM）终止（signaled），\
              而不是退出（exited）。
              """),
        .rule("WAIT-3", "孤儿和僵尸", c: true,
              """
              waitpid(pid, options: .noHang) returns nil while the child is still running: no change \
              yet is not an error (Python returns (0, 0)).
              """,
              zh: """
              子进程仍在运行时，waitpid(pid, options: .noHang) 返回 nil：\
              尚无状态变化不是错误（Python 返回 (0, 0)）。
              """),
        .rule("WAIT-4", "孤儿和僵尸", c: true,
              """
              wait() in a process with no children throws ECHILD at once instead of blocking.
              """,
              zh: """
              在没有子进程的进程中，wait() 立即抛出 ECHILD，而不是阻塞。
              """),
        .rule("WAIT-5", "孤儿和僵尸", c: true,
              """
              Waiting again for a child that was already reaped throws ECHILD.
              """,
              zh: """
              再次等待一个已经回收的子进程会抛出 ECHILD。
              """),
        .rule("WAIT-6", "孤儿和僵尸", c: true,
              """
              With .untraced waitpid reports a child stopped by SIGSTOP as stopped(SIGSTOP), and with \
              .continued it reports continued after SIGCONT.
              """,
              zh: """
              带 .untraced 时，waitpid 把被 SIGSTOP 暂停的子进程报告为 stopped(SIGSTOP)；\
              带 .continued 时，在 SIGCONT 之后报告 continued。
              """),
        .rule("WAIT-7", "孤儿和僵尸", c: true,
              """
              waitpid(pid) waits for that child only: a sibling that exited first stays unreaped and \
              is reported by a later wait.
              """,
              zh: """
              waitpid(pid) 只等待这一个子进程：先退出的兄弟进程仍未被回收，由之后的 wait 报告。
              """),
        .rule("WAIT-8", "孤儿和僵尸", c: false,
              """
              decode agrees with WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG, WCOREDUMP, WIFSTOPPED, \
              WSTOPSIG and WIFCONTINUED on every status word the kernel produces.
              """,
              zh: """
              对内核产生的每一个状态字，decode 的结果都与 WIFEXITED、WEXITSTATUS、WIFSIGNALED、\
              WTERMSIG、WCOREDUMP、WIFSTOPPED、WSTOPSIG 和 WIFCONTINUED 一致。
              """),
        .rule("WAIT-9", "孤儿和僵尸", c: true,
              """
              wait() blocks while the only child is running and returns when that child exits.
              """,
              zh: """
              唯一的子进程运行期间 wait() 阻塞，该子进程退出时 wait() 返回。
              """),
        .rule("WAIT-10", "孤儿和僵尸", c: false, severity: .optional,
              """
              A signal handled while wait() blocks does not surface as EINTR: wait retries and returns \
              the child's status (PEP 475).
              """,
              zh: """
              wait() 阻塞期间处理的信号不会以 EINTR 的形式出现：wait 会重试，\
              并返回子进程的状态（PEP 475）。
              """),
    ])

    private static let orphansConcept: Concept.Draft =
    .concept("orphans", api: "OrphanAPI", mirrors: "prctl(PR_SET_CHILD_SUBREAPER) (no os function)", rules: [
        .rule("ORPHAN-1", "孤儿和僵尸", c: true,
              """
              An orphan is adopted by its nearest living subreaper ancestor: after \
              setChildSubreaper(true), an orphaned grandchild's getppid() becomes this process.
              """,
              zh: """
              孤儿进程由最近的仍然存活的 subreaper 祖先进程收养：\
              调用 setChildSubreaper(true) 之后，成为孤儿进程的孙进程的 getppid() 变为本进程。
              """),
        .rule("ORPHAN-2", "孤儿和僵尸", c: true,
              """
              A subreaper reaps the orphans it adopted: its wait returns their pid and exit status.
              """,
              zh: """
              subreaper 会回收它收养的孤儿进程：它的 wait 返回这些孤儿进程的 pid 和退出状态。
              """),
        .rule("ORPHAN-3", "孤儿和僵尸", c: true,
              """
              isChildSubreaper() reports the setting, and a forked child does not inherit it.
              """,
              zh: """
              isChildSubreaper() 报告这一设置，fork 出的子进程不继承它。
              """),
    ])

    private static let zombiesConcept: Concept.Draft =
    .concept("zombies", api: "ZombieAPI", mirrors: "ps STAT, day1/child.py, signal.signal(SIGCHLD, SIG_IGN)", rules: [
        .rule("ZOMBIE-1", "孤儿和僵尸", c: true,
              """
              A child that has exited but has not been waited for is a zombie: state(of:) reports \
              .zombie (Z) until its parent reaps it.
              """,
              zh: """
              已经退出但还没有被等待的子进程是僵尸进程：在父进程回收它之前，\
              state(of:) 报告 .zombie（Z）。
              """),
        .rule("ZOMBIE-2", "孤儿和僵尸", c: true,
              """
              Reaping a zombie removes it: afterwards state(of:) throws ESRCH.
              """,
              zh: """
              回收僵尸进程就会把它移除：之后 state(of:) 抛出 ESRCH。
              """),
        .rule("ZOMBIE-3", "进程理论基础", c: true, severity: .optional,
              """
              state(of:) takes the state after the last ')' of /proc/<pid>/stat, so a process name \
              with spaces or ')' does not confuse it.
              """,
              zh: """
              state(of:) 取 /proc/<pid>/stat 中最后一个 ')' 之后的状态，\
              因此进程名中含有空格或 ')' 也不会让它出错。
              """),
        .rule("ZOMBIE-4", "孤儿和僵尸", c: true,
              """
              doubleFork runs the work in a grandchild that ends when the work returns, and returns after \
              reaping the intermediate child: no zombie is left and the grandchild is re-parented.
              """,
              zh: """
              doubleFork 在二级子进程中执行任务，任务返回时二级子进程结束；\
              doubleFork 回收中间的子进程之后返回：不留下僵尸进程，二级子进程被重新指定父进程。
              """),
        .rule("ZOMBIE-5", "孤儿和僵尸", c: true,
              """
              With SIGCHLD set to .ignore, exited children are reaped by the kernel: they never become \
              zombies and wait throws ECHILD.
              """,
              zh: """
              SIGCHLD 设为 .ignore 时，退出的子进程由内核回收：它们永远不会成为僵尸进程，\
              wait 抛出 ECHILD。
              """),
        .rule("ZOMBIE-6", "孤儿和僵尸", c: true,
              """
              signal(_:_:) returns the previous disposition, as signal.signal does, and restoring \
              SIGCHLD's default brings zombies back.
              """,
              zh: """
              signal(_:_:) 像 signal.signal 一样返回之前的处理方式，把 SIGCHLD 恢复为默认处理后，\
              僵尸进程又会出现。
              """),
    ])
}
