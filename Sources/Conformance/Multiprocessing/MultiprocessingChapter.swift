extension Chapter {
    /// multiprocessing 模块创建进程 and 进程池实现: the process object and the process pool.
    public static let multiprocessing = Chapter(
        id: "multiprocessing",
        title: "multiprocessing: the Process object and the process pool",
        chineseTitle: "multiprocessing：Process 对象和进程池",
        sections: ["进程创建方法", "进程对象属性", "进程池实现"],
        concepts: [processConcept, poolConcept])

    private static let processConcept: Concept.Draft =
    .concept("process", api: "ProcessAPI",
             mirrors: "multiprocessing.Process: start, join, is_alive, name, pid, daemon, exitcode, terminate, kill",
             rules: [
        .rule("PROCESS-1", "进程创建方法", c: false,
              """
              A new process object runs nothing (pid nil, isAlive false, exitCode nil); start() runs \
              target(args) once in a child whose pid is `pid` and whose parent is the caller, and the \
              child runs only the target: it never returns from start().
              """,
              zh: """
              新建的进程对象不运行任何东西（pid 为 nil，isAlive 为 false，exitCode 为 nil）；\
              start() 在一个子进程中执行一次 target(args)，该子进程的 pid 就是 `pid`，\
              父进程是调用者；子进程只执行 target：它永远不会从 start() 返回。
              """),
        .rule("PROCESS-2", "进程创建方法", c: false,
              """
              join(timeout: t) returns after at least t seconds with the child still alive when it has \
              not ended; a timeout of 0 or less returns at once (CPython's join(-1) does too); join() \
              returns once the child has ended.
              """,
              zh: """
              子进程尚未结束时，join(timeout: t) 至少等待 t 秒后返回，子进程仍然存活；\
              超时为 0 或更小时立即返回（CPython 的 join(-1) 也是如此）；\
              join() 在子进程结束后返回。
              """),
        .rule("PROCESS-3", "进程对象属性", c: false,
              """
              Every process object created in a process takes the next number N, and one without a \
              name is named Process-N; a given name is kept; in the child of the object numbered N, \
              the numbers restart as N:1, N:2 (Process-N:1), as in Python.
              """,
              zh: """
              一个进程中创建的每个进程对象依次取下一个编号 N，没有名称的对象命名为 Process-N，\
              给定的名称保持不变；在编号为 N 的对象的子进程中，编号从 N:1、\
              N:2 重新开始（Process-N:1），与 Python 相同。
              """),
        .rule("PROCESS-4", "进程对象属性", c: true,
              """
              exitCode is 0 after the target returns, n after exit(n) in the target, and minus the \
              signal number after terminate() (-15, SIGTERM) or kill() (-9, SIGKILL).
              """,
              zh: """
              target 返回后 exitCode 为 0，target 中调用 exit(n) 后为 n，terminate()（-15，\
              SIGTERM）或 kill()（-9，SIGKILL）之后为信号编号的负值。
              """),
        .rule("PROCESS-5", "进程创建方法", c: false,
              """
              An error thrown by the target ends the child with exit code 1 and writes the process's \
              name and the error's description on stderr (Python prints a traceback).
              """,
              zh: """
              target 抛出的错误使子进程以退出码 1 结束，并在 stderr 上写出进程名和错误的描述\
              （Python 打印 traceback）。
              """),
        .rule("PROCESS-6", "进程创建方法", c: true,
              """
              The child's standard input is /dev/null: it reads end of file at once, even when the \
              parent's standard input holds data (the course: a child cannot use standard input).
              """,
              zh: """
              子进程的标准输入是 /dev/null：即使父进程的标准输入中有数据，\
              子进程也立即读到文件末尾（课程：multiprocessing 创建的子进程中无法使用标准输入）。
              """),
        .rule("PROCESS-7", "进程对象属性", c: false,
              """
              Misuse is a typed ProcessError, never a crash: start() twice and setDaemon after start() \
              throw .alreadyStarted; join, terminate and kill before start() throw .notStarted \
              (Python raises AssertionError or AttributeError).
              """,
              zh: """
              误用抛出有类型的 ProcessError，绝不崩溃：两次 start()、\
              start() 之后设置 setDaemon 抛出 .alreadyStarted；start() 之前调用 join、\
              terminate 和 kill 抛出 .notStarted（Python 抛出 AssertionError 或 AttributeError）。
              """),
        .rule("PROCESS-8", "进程对象属性", c: false,
              """
              When a process exits normally (exit, or returning from main), each of its daemonic \
              children still running is sent SIGTERM and reaped, and the exit completes.
              """,
              zh: """
              进程正常退出时（exit，或从 main 返回），它仍在运行的每个 daemon 子进程都会收\
              到 SIGTERM 并被回收，然后退出完成。
              """),
        .rule("PROCESS-9", "进程对象属性", c: true,
              """
              Beyond Python: a daemonic child also ends when its parent is killed (SIGKILL), through \
              prctl(PR_SET_PDEATHSIG); the signal follows the thread that forked, so this holds for \
              children started from the main thread.
              """,
              zh: """
              超出 Python 的部分：父进程被杀死（SIGKILL）时，\
              daemon 子进程也会通过 prctl(PR_SET_PDEATHSIG) 结束；该信号跟随执行 fork 的线程，\
              因此这一点对从主线程启动的子进程成立。
              """),
        .rule("PROCESS-10", "进程对象属性", c: false,
              """
              When a process exits normally with a non-daemonic child still running, its exit blocks \
              until that child ends, then completes.
              """,
              zh: """
              进程正常退出时，若还有非 daemon 子进程在运行，退出会阻塞到该子进程结束，然后完成。
              """),
        .rule("PROCESS-11", "进程创建方法", c: false,
              """
              The child works on a copy of the parent's memory: a value the target changes is \
              unchanged in the parent; results come back only through IPC.
              """,
              zh: """
              子进程操作的是父进程内存的副本：target 修改的值在父进程中不变；\
              结果只能通过进程间通信（IPC）传回。
              """),
        .rule("PROCESS-12", "进程创建方法", c: false,
              """
              start() flushes the caller's stdio buffers before forking and the child flushes its own \
              when the target ends: text printed before start() and text printed by the target each \
              appear exactly once.
              """,
              zh: """
              start() 在 fork 之前刷新调用者的 stdio 缓冲区，\
              子进程在 target 结束时刷新自己的缓冲区：start() 之前打印的文本和 target 打印的文本都\
              恰好出现一次。
              """),
        .rule("PROCESS-13", "进程对象属性", c: false,
              """
              start() first reaps every earlier child that has ended, so an object dropped without \
              join() leaves no zombie, and an object still held reports its exit code (Python's \
              start() calls _cleanup()).
              """,
              zh: """
              start() 先回收之前所有已经结束的子进程，因此没有 join() 就丢弃的对象不会留下僵尸进\
              程，仍被持有的对象会报告其退出码（Python 的 start() 调用 _cleanup()）。
              """),
    ])

    private static let poolConcept: Concept.Draft =
    .concept("pool", api: "PoolAPI",
             mirrors: "multiprocessing.Pool: apply_async, AsyncResult.get/ready/successful, map, close, join, terminate",
             rules: [
        .rule("POOL-1", "进程池实现", c: false,
              """
              pool(processes: n) starts n worker processes, children of the caller, at once; nil means \
              one per online CPU (os.cpu_count()); 0 or less throws .invalidProcessCount (Python: \
              ValueError).
              """,
              zh: """
              pool(processes: n) 立即启动 n 个工作进程，它们都是调用者的子进程；\
              nil 表示每个在线 CPU 一个（os.cpu_count()）；\
              0 或更小抛出 .invalidProcessCount（Python：ValueError）。
              """),
        .rule("POOL-2", "进程池实现", c: false,
              """
              applyAsync returns at once with a handle: while the task runs, ready is false, \
              successful() throws .notReady and get(timeout: t) throws .timeout after at least t (at \
              once for 0 or less, as in CPython); then get() returns the output and ready is true.
              """,
              zh: """
              applyAsync 立即返回一个句柄：任务运行期间 ready 为 false，\
              successful() 抛出 .notReady，get(timeout: t) 至少等待 t 之后抛出 .timeout（t 为 0 或\
              更小时立即抛出，与 CPython 相同）；任务完成后 get() 返回输出，ready 为 true。
              """),
        .rule("POOL-3", "进程池实现", c: false,
              """
              An error thrown by the work is thrown again by get as .taskFailed with the error's type \
              and description; successful() is false; the worker lives on and runs the next task.
              """,
              zh: """
              任务抛出的错误由 get 以 .taskFailed 再次抛出，带有错误的类型和描述；\
              successful() 为 false；工作进程继续存活，并执行下一个任务。
              """),
        .rule("POOL-4", "进程池实现", c: false,
              """
              map returns the outputs in input order even when later inputs finish first, returns [] \
              for no inputs, and throws the error of the first failing input.
              """,
              zh: """
              即使后面的输入先完成，map 也按输入的顺序返回输出；没有输入时返回 []；\
              有输入失败时抛出第一个失败输入的错误。
              """),
        .rule("POOL-5", "进程池实现", c: false,
              """
              close() then join() waits for every task submitted before close(): each has its output \
              when join() returns, and every worker has ended and been reaped.
              """,
              zh: """
              先 close() 再 join() 会等待 close() 之前提交的所有任务：\
              join() 返回时每个任务都有输出，所有工作进程都已结束并被回收。
              """),
        .rule("POOL-6", "进程池实现", c: false,
              """
              applyAsync and map after close() or terminate() throw .notRunning, and join() before \
              close() throws .stillRunning (Python raises ValueError for each).
              """,
              zh: """
              close() 或 terminate() 之后调用 applyAsync 和 map 抛出 .notRunning，\
              close() 之前调用 join() 抛出 .stillRunning（Python 在这些情况下都抛出 ValueError）。
              """),
        .rule("POOL-7", "进程池实现", c: false,
              """
              terminate() ends every worker at once, even in the middle of a task, and reaps it; the \
              unfinished tasks fail with .terminated (Python's never become ready).
              """,
              zh: """
              terminate() 立即结束所有工作进程，即使它们正在执行任务，并回收它们；\
              未完成的任务以 .terminated 失败（在 Python 中它们永远不会就绪）。
              """),
        .rule("POOL-8", "进程池实现", c: false,
              """
              Workers are reused: 200 tasks on a pool of 2 run in at most 2 processes, the workers \
              the pool started.
              """,
              zh: """
              工作进程被重复利用：在 2 个进程的进程池上执行 200 个任务，最多用到 2 个进程，\
              也就是进程池启动的那些工作进程。
              """),
        .rule("POOL-9", "进程池实现", c: true,
              """
              Beyond Python: a worker that dies in the middle of a task (a signal, from itself or \
              from outside) fails that task with .workerDied and the signal, a new worker takes its \
              place, and the other tasks complete; Python's pool hangs.
              """,
              zh: """
              超出 Python 的部分：工作进程在任务中途死亡时（被信号杀死，信号来自自身或外部），\
              该任务以 .workerDied 和该信号失败，一个新的工作进程取代它，其他任务照常完成；\
              Python 的进程池则会挂起。
              """),
        .rule("POOL-10", "进程池实现", c: false,
              """
              Dropping the last reference to a running pool terminates its workers: none is left \
              running (Python's Pool.__del__ does the same).
              """,
              zh: """
              丢弃对运行中进程池的最后一个引用会终止它的工作进程：\
              不会留下任何仍在运行的工作进程（Python 的 Pool.__del__ 也是如此）。
              """),
    ])
}
