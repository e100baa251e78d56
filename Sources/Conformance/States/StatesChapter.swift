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
        chineseTitle: "进程状态：ps 的 STAT 列和进程树",
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
              """,
              zh: """
              新建（new）没有自己的字母：fork 返回时它就已经结束，此时子进程已经出现在 /proc 中，\
              父进程是调用 fork 的进程，状态为 R、S 或 D。
              """),
        .rule("STATE-2", "进程状态", c: true,
              """
              A child looping without blocking is R: Linux shows 运行 (running on a CPU) and 就绪 (ready, \
              waiting for one) with the same letter.
              """,
              zh: """
              不阻塞地循环的子进程是 R：Linux 用同一个字母表示运行态（正在 CPU 上运行）\
              和就绪态（等待分配 CPU）。
              """),
        .rule("STATE-3", "进程状态", c: true,
              """
              A child blocked in read on an empty pipe, or in sleep, is S (等待, an interruptible wait).
              """,
              zh: """
              阻塞在空管道的 read 上或在 sleep 中的子进程是 S（等待态，可中断的等待）。
              """),
        .rule("STATE-4", "状态查看命令", c: true,
              """
              After SIGSTOP a child is T and waitpid(.untraced) reports it stopped; after SIGCONT it is no \
              longer T and waitpid(.continued) reports it continued.
              """,
              zh: """
              收到 SIGSTOP 后子进程是 T，waitpid(.untraced) 报告它已暂停；\
              收到 SIGCONT 后它不再是 T，waitpid(.continued) 报告它已继续运行。
              """),
        .rule("STATE-5", "进程状态", c: true,
              """
              终止 (terminated) ends in Z: an exited child nobody reaped is Z, and once it is reaped its \
              /proc entry is gone and status(of:) throws ESRCH.
              """,
              zh: """
              终止（terminated）以 Z 结束：退出后没有被回收的子进程是 Z，一旦被回收，\
              它在 /proc 中的条目就消失，status(of:) 抛出 ESRCH。
              """),
        .rule("STATE-6", "状态查看命令", c: true,
              """
              A process whose nice value was raised shows N after its state letter (优先级较低), and \
              status(of:) reports the new nice value.
              """,
              zh: """
              nice 值被调高的进程在状态字母之后显示 N（优先级较低），\
              status(of:) 报告新的 nice 值。
              """),
        .rule("STATE-7", "状态查看命令", c: true,
              """
              A process whose nice value was lowered below 0 shows < after its state letter (有较高优先级); \
              where lowering it is not permitted (no CAP_SYS_NICE, RLIMIT_NICE) the rule is unsupported.
              """,
              zh: """
              nice 值被调低到 0 以下的进程在状态字母之后显示 <（有较高优先级）；\
              不允许调低时（没有 CAP_SYS_NICE，或受 RLIMIT_NICE 限制），本规则记为不支持。
              """),
        .rule("STATE-8", "状态查看命令", c: true,
              """
              A session leader made by setsid shows s (会话组组长), and its children, in the same session but \
              not its leader, do not, even one that leads a process group of its own.
              """,
              zh: """
              用 setsid 成为会话组组长的进程显示 s（会话组组长）；\
              它的子进程在同一会话中但不是组长，不显示 s，即使子进程自己领导一个进程组也不显示。
              """),
        .rule("STATE-9", "状态查看命令", c: true,
              """
              A process with more than one thread shows l (有多线程的), and a single-threaded one does not.
              """,
              zh: """
              有多个线程的进程显示 l（有多线程的），单线程的进程不显示。
              """),
        .rule("STATE-10", "状态查看命令", c: true,
              """
              A process in its terminal's foreground process group shows + (前台进程); one in a background \
              group of the same terminal, or with no terminal, does not.
              """,
              zh: """
              处于其终端前台进程组中的进程显示 +（前台进程）；处于同一终端后台进程组中的进程，\
              或没有终端的进程，不显示。
              """),
        .rule("STATE-11", "状态查看命令", c: false,
              """
              statColumn agrees with `ps -o stat=` on every process of STATE-2 to STATE-10 and one with \
              locked memory (L), the letters in ps's order: state, < or N, L, s, l, +.
              """,
              zh: """
              对 STATE-2 到 STATE-10 中的每个进程，以及一个锁定了内存（L）的进程，\
              statColumn 都与 `ps -o stat=` 一致，字母按 ps 的顺序排列：状态、< 或 N、L、s、l、+。
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
              """,
              zh: """
              fork 之后，子进程的父进程是调用 fork 的进程：\
              tree(of:) 把子进程按 pid 和名称直接显示在它下面。
              """),
        .rule("TREE-2", "进程基本概念", c: true,
              """
              After a double fork whose middle child has ended, the grandchild's parent is the subreaper \
              that the check set, and tree(of:) shows it directly under the subreaper, even when it made a \
              session of its own (setsid, as a daemon does).
              """,
              zh: """
              二次 fork 且中间的子进程已经结束后，孙进程的父进程是检查所设置的 subreaper，\
              tree(of:) 把它直接显示在 subreaper 下面，即使它（像守护进程那样用 setsid）\
              建立了自己的会话。
              """),
        .rule("TREE-3", "进程基本概念", c: false,
              """
              tree(of:) lists exactly the descendants that still exist, a zombie until it is reaped (as \
              pstree shows it), each under its parent in pid order, with its name even if it holds ' ' \
              and ')'; a pid that does not exist throws ESRCH.
              """,
              zh: """
              tree(of:) 恰好列出仍然存在的后代进程（僵尸进程在被回收之前也算，\
              与 pstree 的显示一致），每个进程按 pid 顺序列在其父进程下面，并带上名称，\
              即使名称中含有 ' ' 和 ')'；不存在的 pid 抛出 ESRCH。
              """),
        .rule("TREE-4", "进程基本概念", c: false,
              """
              render draws a tree as `pstree -p -n -A -T -l` does: name(pid), --- before an only child, -+- \
              before the first of several, |- and `- before the others, aligned under the first.
              """,
              zh: """
              render 像 `pstree -p -n -A -T -l` 那样画树：name(pid)，唯一的子进程前是 ---，\
              多个子进程中第一个前是 -+-，其余的前是 |- 和 `-，与第一个对齐。
              """),
        .rule("TREE-5", "进程基本概念", c: true,
              """
              Who adopts an orphan depends on where it lives: in a new PID namespace its init (pid 1 there) \
              adopts it, not the check's subreaper outside, and tree(of:) shows it so; making the namespace \
              needs CAP_SYS_ADMIN or an unprivileged user namespace, and without either the rule is unsupported.
              """,
              zh: """
              由谁收养孤儿进程取决于它所在的位置：在新的 PID 命名空间中，\
              由该命名空间的 init（其中的 pid 1）收养，而不是命名空间外检查所设置的 subreaper，\
              tree(of:) 也这样显示；创建命名空间需要 CAP_SYS_ADMIN 或非特权的用户命名空间，\
              两者都没有时本规则记为不支持。
              """),
    ])
}
