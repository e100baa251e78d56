extension Chapter {
    /// 进程理论基础: the states a process passes through, as `ps` shows them in its STAT column, and the
    /// parent-child tree `pstree` draws.
    ///
    /// The course's models mapped to Linux: 就绪 (ready) and 运行 (running) are both R (STATE-2); 等待
    /// (waiting) is S, or D when uninterruptible (STATE-3), and the course counts T, stopped, as waiting
    /// too (STATE-4); 新建 (new) has no letter, it is over when fork returns (STATE-1); 终止 (terminated)
    /// is Z until the parent reaps the process, then nothing (STATE-5).
    public static let states = Chapter(
        id: "states",
        title: "Process states: the ps STAT column and the process tree",
        sections: ["进程基本概念", "进程状态", "状态查看命令"],
        concepts: [statesConcept, treeConcept])

    private static let statesConcept: Concept.Draft =
    .concept("states", api: "ProcessStatesAPI",
             mirrors: "ps -o stat, psutil.Process(pid).status() / .nice() / .num_threads(), os.setsid(), os.nice()",
             rules: [
        .rule("STATE-1", "进程状态", c: true,
              """
              新建 (new) has no letter of its own: it is over when fork returns, and the child is already \
              in /proc with the forking process as its parent, in state R, S or D.
              """),
        .rule("STATE-2", "进程状态", c: true,
              """
              A child looping without blocking is R: Linux shows 运行 (running on a CPU) and 就绪 (ready, \
              waiting for one) with the same letter.
              """),
        .rule("STATE-3", "进程状态", c: true,
              """
              A child blocked in read on an empty pipe, or in sleep, is S (等待, an interruptible wait).
              """),
        .rule("STATE-4", "状态查看命令", c: true,
              """
              After SIGSTOP a child is T and waitpid(.untraced) reports it stopped; after SIGCONT it is no \
              longer T and waitpid(.continued) reports it continued.
              """),
        .rule("STATE-5", "进程状态", c: true,
              """
              终止 (terminated) ends in Z: an exited child nobody reaped is Z, and once it is reaped its \
              /proc entry is gone and status(of:) throws ESRCH.
              """),
        .rule("STATE-6", "状态查看命令", c: true,
              """
              A process whose nice value was raised shows N after its state letter (优先级较低), and \
              status(of:) reports the new nice value.
              """),
        .rule("STATE-7", "状态查看命令", c: true,
              """
              A process whose nice value was lowered below 0 shows < after its state letter (有较高优先级); \
              where lowering it is not permitted (no CAP_SYS_NICE, RLIMIT_NICE) the rule is unsupported.
              """),
        .rule("STATE-8", "状态查看命令", c: true,
              """
              A session leader made by setsid shows s (会话组组长), and its children, in the same session but \
              not its leader, do not, even one that leads a process group of its own.
              """),
        .rule("STATE-9", "状态查看命令", c: true,
              """
              A process with more than one thread shows l (有多线程的), and a single-threaded one does not.
              """),
        .rule("STATE-10", "状态查看命令", c: true,
              """
              A process in its terminal's foreground process group shows + (前台进程); one in a background \
              group of the same terminal, or with no terminal, does not.
              """),
        .rule("STATE-11", "状态查看命令", c: false,
              """
              statColumn agrees with `ps -o stat=` on every process of STATE-2 to STATE-10 and one with \
              locked memory (L), the letters in ps's order: state, < or N, L, s, l, +.
              """),
    ])

    private static let treeConcept: Concept.Draft =
    .concept("tree", api: "ProcessTreeAPI",
             mirrors: "pstree -p, psutil.Process(pid).children(recursive=True), os.getppid()",
             rules: [
        .rule("TREE-1", "进程基本概念", c: true,
              """
              After fork the child's parent is the forking process: tree(of:) shows the child directly under \
              it, by pid and name.
              """),
        .rule("TREE-2", "进程基本概念", c: true,
              """
              After a double fork whose middle child has ended, the grandchild's parent is the subreaper \
              that the check set, and tree(of:) shows it directly under the subreaper, even when it made a \
              session of its own (setsid, as a daemon does).
              """),
        .rule("TREE-3", "进程基本概念", c: false,
              """
              tree(of:) lists exactly the descendants that still exist, a zombie until it is reaped (as \
              pstree shows it), each under its parent in pid order, with its name even if it holds ' ' \
              and ')'; a pid that does not exist throws ESRCH.
              """),
        .rule("TREE-4", "进程基本概念", c: false,
              """
              render draws a tree as `pstree -p -n -A -T -l` does: name(pid), --- before an only child, -+- \
              before the first of several, |- and `- before the others, aligned under the first.
              """),
        .rule("TREE-5", "进程基本概念", c: true,
              """
              Who adopts an orphan depends on where it lives: in a new PID namespace its init (pid 1 there) \
              adopts it, not the check's subreaper outside, and tree(of:) shows it so; making the namespace \
              needs CAP_SYS_ADMIN or an unprivileged user namespace, and without either the rule is unsupported.
              """),
    ])
}
