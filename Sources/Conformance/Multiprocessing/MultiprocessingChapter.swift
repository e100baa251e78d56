extension Chapter {
    /// multiprocessing 模块创建进程 and 进程池实现: the process object and the process pool.
    public static let multiprocessing = Chapter(
        id: "multiprocessing",
        title: "multiprocessing: the Process object and the process pool",
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
              """),
        .rule("PROCESS-2", "进程创建方法", c: false,
              """
              join(timeout: t) returns after at least t seconds with the child still alive when it has \
              not ended; a timeout of 0 or less returns at once (CPython's join(-1) does too); join() \
              returns once the child has ended.
              """),
        .rule("PROCESS-3", "进程对象属性", c: false,
              """
              Every process object created in a process takes the next number N, and one without a \
              name is named Process-N; a given name is kept; in the child of the object numbered N, \
              the numbers restart as N:1, N:2 (Process-N:1), as in Python.
              """),
        .rule("PROCESS-4", "进程对象属性", c: true,
              """
              exitCode is 0 after the target returns, n after exit(n) in the target, and minus the \
              signal number after terminate() (-15, SIGTERM) or kill() (-9, SIGKILL).
              """),
        .rule("PROCESS-5", "进程创建方法", c: false,
              """
              An error thrown by the target ends the child with exit code 1 and writes the process's \
              name and the error's description on stderr (Python prints a traceback).
              """),
        .rule("PROCESS-6", "进程创建方法", c: true,
              """
              The child's standard input is /dev/null: it reads end of file at once, even when the \
              parent's standard input holds data (the course: a child cannot use standard input).
              """),
        .rule("PROCESS-7", "进程对象属性", c: false,
              """
              Misuse is a typed ProcessError, never a crash: start() twice and setDaemon after start() \
              throw .alreadyStarted; join, terminate and kill before start() throw .notStarted \
              (Python raises AssertionError or AttributeError).
              """),
        .rule("PROCESS-8", "进程对象属性", c: false,
              """
              When a process exits normally (exit, or returning from main), each of its daemonic \
              children still running is sent SIGTERM and reaped, and the exit completes.
              """),
        .rule("PROCESS-9", "进程对象属性", c: true,
              """
              Beyond Python: a daemonic child also ends when its parent is killed (SIGKILL), through \
              prctl(PR_SET_PDEATHSIG); the signal follows the thread that forked, so this holds for \
              children started from the main thread.
              """),
        .rule("PROCESS-10", "进程对象属性", c: false,
              """
              When a process exits normally with a non-daemonic child still running, its exit blocks \
              until that child ends, then completes.
              """),
        .rule("PROCESS-11", "进程创建方法", c: false,
              """
              The child works on a copy of the parent's memory: a value the target changes is \
              unchanged in the parent; results come back only through IPC.
              """),
        .rule("PROCESS-12", "进程创建方法", c: false,
              """
              start() flushes the caller's stdio buffers before forking and the child flushes its own \
              when the target ends: text printed before start() and text printed by the target each \
              appear exactly once.
              """),
        .rule("PROCESS-13", "进程对象属性", c: false,
              """
              start() first reaps every earlier child that has ended, so an object dropped without \
              join() leaves no zombie, and an object still held reports its exit code (Python's \
              start() calls _cleanup()).
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
              """),
        .rule("POOL-2", "进程池实现", c: false,
              """
              applyAsync returns at once with a handle: while the task runs, ready is false, \
              successful() throws .notReady and get(timeout: t) throws .timeout after at least t (at \
              once for 0 or less, as in CPython); then get() returns the output and ready is true.
              """),
        .rule("POOL-3", "进程池实现", c: false,
              """
              An error thrown by the work is thrown again by get as .taskFailed with the error's type \
              and description; successful() is false; the worker lives on and runs the next task.
              """),
        .rule("POOL-4", "进程池实现", c: false,
              """
              map returns the outputs in input order even when later inputs finish first, returns [] \
              for no inputs, and throws the error of the first failing input.
              """),
        .rule("POOL-5", "进程池实现", c: false,
              """
              close() then join() waits for every task submitted before close(): each has its output \
              when join() returns, and every worker has ended and been reaped.
              """),
        .rule("POOL-6", "进程池实现", c: false,
              """
              applyAsync and map after close() or terminate() throw .notRunning, and join() before \
              close() throws .stillRunning (Python raises ValueError for each).
              """),
        .rule("POOL-7", "进程池实现", c: false,
              """
              terminate() ends every worker at once, even in the middle of a task, and reaps it; the \
              unfinished tasks fail with .terminated (Python's never become ready).
              """),
        .rule("POOL-8", "进程池实现", c: false,
              """
              Workers are reused: 200 tasks on a pool of 2 run in at most 2 processes, the workers \
              the pool started.
              """),
        .rule("POOL-9", "进程池实现", c: true,
              """
              Beyond Python: a worker that dies in the middle of a task (a signal, from itself or \
              from outside) fails that task with .workerDied and the signal, a new worker takes its \
              place, and the other tasks complete; Python's pool hangs.
              """),
        .rule("POOL-10", "进程池实现", c: false,
              """
              Dropping the last reference to a running pool terminates its workers: none is left \
              running (Python's Pool.__del__ does the same).
              """),
    ])
}
