extension Chapter {
    /// 线程编程(Thread), 同步互斥, 死锁及其处理 and python线程GIL: threads, events, locks, deadlock and a
    /// model of the GIL.
    public static let threads = Chapter(
        id: "threads",
        title: "Threads: Thread, Event, Lock, deadlock, the GIL",
        chineseTitle: "线程：Thread、Event、Lock、死锁、GIL",
        sections: ["线程编程(Thread)", "同步互斥", "死锁及其处理", "python线程GIL", "进程线程的区别联系"],
        concepts: [threadConcept, eventConcept, lockConcept, deadlockConcept, gilConcept])

    private static let threadConcept: Concept.Draft =
    .concept("thread", api: "ThreadAPI",
             mirrors: "threading.Thread(target, name), start, join(timeout), is_alive, name, ident, native_id, daemon, run()",
             rules: [
        .rule("THREAD-1", "线程编程(Thread)", c: false,
              """
              A new thread object runs nothing (isAlive false, ident nil); start() runs its target, \
              or the run() a subclass overrides, once on a new thread of the same process, and \
              join() returns after it has ended.
              """,
              zh: """
              新建的线程对象不运行任何东西（isAlive 为 false，ident 为 nil）；\
              start() 在同一进程的一个新线程上执行一次它的 target，或子类重写的 run()，\
              join() 在线程结束后返回。
              """),
        .rule("THREAD-2", "线程编程(Thread)", c: false,
              """
              join(timeout: t) returns after at least t with the thread still alive when it runs \
              longer, and at once for a timeout of 0 or less; it never throws the thread's result.
              """,
              zh: """
              线程运行时间更长时，join(timeout: t) 至少等待 t 之后返回，线程仍然存活；\
              超时为 0 或更小时立即返回；它从不抛出线程的结果。
              """),
        .rule("THREAD-3", "线程编程(Thread)", c: false,
              """
              A thread is named Thread-N, N counting the unnamed thread objects of the process \
              from 1, unless given a name (Python adds the target's name in parentheses; a Swift closure \
              has none); its daemon flag starts as that of the thread that made it.
              """,
              zh: """
              线程名为 Thread-N，N 从 1 开始为进程中未命名的线程对象计数，\
              除非给定了名称（Python 会在括号中加上 target 的名字，Swift 闭包没有名字）；\
              它的 daemon 标志初始与创建它的线程相同。
              """),
        .rule("THREAD-4", "线程编程(Thread)", c: true,
              """
              Misuse is a ThreadError (Python: RuntimeError): start() twice and setDaemon after \
              start() throw .alreadyStarted, join before start() .notStarted, a thread joining \
              itself .joinSelf.
              """,
              zh: """
              误用抛出 ThreadError（Python：RuntimeError）：\
              两次 start() 以及 start() 之后设置 setDaemon 抛出 .alreadyStarted，\
              start() 之前 join 抛出 .notStarted，线程 join 自己抛出 .joinSelf。
              """),
        .rule("THREAD-5", "线程编程(Thread)", c: false,
              """
              A process's normal end (exit) waits for its non-daemon threads to finish, and does \
              not wait for its daemon threads.
              """,
              zh: """
              进程正常结束（exit）时会等待其非 daemon 线程执行完毕，不等待其 daemon 线程。
              """),
        .rule("THREAD-6", "线程编程(Thread)", c: false,
              """
              An error thrown by a thread's body reaches neither start() nor join(): the thread \
              ends and "Exception in thread NAME:" with the error is written to stderr.
              """,
              zh: """
              线程体抛出的错误既不会传到 start()，也不会传到 join()：线程结束，\
              并把 "Exception in thread NAME:" 和该错误写到 stderr。
              """),
        .rule("THREAD-7", "进程线程的区别联系", c: false,
              """
              Threads share their process's memory: what one thread writes, the others read, \
              with the same pid and each its own kernel thread id (native_id).
              """,
              zh: """
              线程共享其所在进程的内存：一个线程写入的内容，其他线程都能读到；它们的 pid 相同，\
              各自有自己的内核线程 ID（native_id）。
              """),
        .rule("THREAD-8", "进程线程的区别联系", c: true,
              """
              Processes do not: fork in a process with several threads copies the memory and only \
              the calling thread, so the child has one thread and the threads' later writes stay \
              in the parent.
              """,
              zh: """
              进程则不然：在有多个线程的进程中 fork 会复制内存，但只复制调用 fork 的那个线程，\
              因此子进程只有一个线程，其他线程之后的写入只留在父进程中。
              """),
    ])

    private static let eventConcept: Concept.Draft =
    .concept("event", api: "EventAPI", mirrors: "threading.Event: set, clear, is_set, wait(timeout)", rules: [
        .rule("EVENT-1", "同步互斥", c: false,
              """
              A new event is not set; set() sets it and clear() clears it; wait returns true at \
              once while it is set.
              """,
              zh: """
              新建的 Event 未被设置；set() 设置它，clear() 清除它；被设置期间 wait 立即返回 true。
              """),
        .rule("EVENT-2", "同步互斥", c: false,
              """
              wait(timeout:) on an event that is not set returns false: at once for a timeout of 0 \
              or less, after at least t for a timeout t.
              """,
              zh: """
              对未被设置的 Event 调用 wait(timeout:) 返回 false：超时为 0 或更小时立即返回，\
              超时为 t 时至少等待 t 之后返回。
              """),
        .rule("EVENT-3", "同步互斥", c: false,
              """
              One set() wakes every thread waiting for the event, and each wait returns true.
              """,
              zh: """
              一次 set() 唤醒所有等待该 Event 的线程，每个 wait 都返回 true。
              """),
    ])

    private static let lockConcept: Concept.Draft =
    .concept("lock", api: "LockAPI", mirrors: "threading.Lock, threading.RLock: acquire(blocking, timeout), release, locked, with", rules: [
        .rule("LOCK-1", "同步互斥", c: true,
              """
              acquire() of a free lock returns true; on a held lock acquire returns false at once \
              when not blocking or with a timeout of 0, and after at least t with a timeout t.
              """,
              zh: """
              对空闲的锁 acquire() 返回 true；对已被持有的锁，\
              非阻塞或超时为 0 时 acquire 立即返回 false，超时为 t 时至少等待 t 之后返回 false。
              """),
        .rule("LOCK-2", "同步互斥", c: true,
              """
              Misuse is a LockError: release of an unlocked lock .notLocked (Python: RuntimeError), \
              a timeout without blocking .timeoutWithoutBlocking and a negative one .negativeTimeout \
              (Python: ValueError; no timeout is nil where Python writes -1).
              """,
              zh: """
              误用抛出 LockError：释放未上锁的锁抛出 .notLocked（Python：RuntimeError），\
              非阻塞却给定超时抛出 .timeoutWithoutBlocking，\
              负的超时抛出 .negativeTimeout（Python：ValueError；不设超时用 nil 表示，\
              Python 写作 -1）。
              """),
        .rule("LOCK-3", "同步互斥", c: false,
              """
              withLock (Python: with lock:) holds the lock while its body runs and releases it when \
              the body returns or throws.
              """,
              zh: """
              withLock（Python：with lock:）在其代码块运行期间持有锁，代码块返回或抛出错误时解锁。
              """),
        .rule("LOCK-4", "同步互斥", c: true,
              """
              A thread that acquires a plain lock it already holds waits for ever (the simplest \
              deadlock) until another thread releases it: a plain lock has no owner.
              """,
              zh: """
              线程对自己已持有的普通锁再次 acquire 会一直等待（最简单的死锁），\
              直到另一个线程将其释放：普通的锁没有所有者。
              """),
        .rule("LOCK-5", "同步互斥", c: false,
              """
              A reentrant lock's owner may acquire it again and must release it as many times; \
              meanwhile other threads cannot acquire it, and their release throws .notOwner.
              """,
              zh: """
              可重入锁的所有者可以再次 acquire 它，并且必须 release 同样多次；\
              在此期间其他线程无法获得它，它们的 release 抛出 .notOwner。
              """),
        .rule("LOCK-6", "同步互斥", c: false,
              """
              A thread blocked in acquire is woken when the holder releases, and gets the lock.
              """,
              zh: """
              阻塞在 acquire 中的线程在持有者解锁时被唤醒，并获得该锁。
              """),
        .rule("LOCK-7", "同步互斥", c: false,
              """
              Mutual exclusion, shown by the outcome: 4 threads each adding 1 to a shared counter \
              5000 times under the lock leave exactly 20000.
              """,
              zh: """
              由结果体现的互斥：4 个线程在锁的保护下各自把共享计数器加 1 共 5000 次，\
              最后恰好是 20000。
              """),
    ])

    private static let deadlockConcept: Concept.Draft =
    .concept("deadlock", api: "DeadlockAPI",
             mirrors: "day3/dead_lock.py (two locks in opposite orders); no Python API detects deadlock", rules: [
        .rule("DEADLOCK-1", "死锁及其处理", c: false,
              """
              Two threads that each hold one of two locks and then ask for the other both sleep \
              for ever: still alive after a join with a timeout, until a lock is released from \
              outside.
              """,
              zh: """
              两个线程各持有两把锁中的一把，再请求另一把，二者都永远睡眠：\
              带超时的 join 之后仍然存活，直到从外部释放一把锁。
              """),
        .rule("DEADLOCK-2", "死锁及其处理", c: false,
              """
              The detector reports the cycle of the wait-for graph, naming each thread with the \
              lock it holds and the lock it waits for; a thread merely waiting for a held lock is \
              no cycle.
              """,
              zh: """
              检测器报告等待图（wait-for graph）中的环，为每个线程指出它持有的锁和它等待的锁；\
              一个线程仅仅在等待被持有的锁并不构成环。
              """),
        .rule("DEADLOCK-3", "死锁及其处理", c: false,
              """
              The lock-order validator (as lockdep) reports two locks taken in both orders, A then \
              B by one thread and later B then A by another, with both threads, though neither \
              run deadlocked.
              """,
              zh: """
              锁顺序验证器（如 lockdep）报告以两种顺序获取的两把锁：一个线程先 A 后 B，\
              之后另一个线程先 B 后 A，并指出这两个线程，即使两次运行都没有发生死锁。
              """),
        .rule("DEADLOCK-4", "死锁及其处理", c: false,
              """
              Breaking 环路等待 (circular wait): taking both locks in one global order lets the \
              two-lock scenario finish, each body holding both locks to itself.
              """,
              zh: """
              破坏环路等待条件：按同一个全局顺序获取两把锁，使两把锁的场景能够完成，\
              每个代码块都独占地持有两把锁。
              """),
        .rule("DEADLOCK-5", "死锁及其处理", c: false,
              """
              Breaking 请求和保持 (hold and wait): taking the second lock only when it is free, \
              else releasing the first and backing off, lets the scenario finish likewise.
              """,
              zh: """
              破坏请求和保持条件：只在第二把锁空闲时才获取它，否则释放第一把锁并退避，\
              同样使该场景能够完成。
              """),
        .rule("DEADLOCK-6", "死锁及其处理", c: false,
              """
              Breaking 不剥夺 (no preemption): waiting for the second lock at most a timeout, then \
              giving up the first and trying again, lets the scenario finish likewise.
              """,
              zh: """
              破坏不剥夺条件：等待第二把锁最多一段超时时间，然后放弃第一把锁再重试，\
              同样使该场景能够完成。
              """),
        .rule("DEADLOCK-7", "死锁及其处理", c: false,
              """
              Breaking 互斥 (mutual exclusion) by spooling: one thread owns both resources and runs \
              the others' work, so no thread holds a lock while it waits; the scenario finishes \
              likewise.
              """,
              zh: """
              用假脱机（spooling）破坏互斥条件：由一个线程拥有两份资源并代其他线程执行工作，\
              因此没有线程在等待时持有锁；该场景同样能够完成。
              """),
    ])

    private static let gilConcept: Concept.Draft =
    .concept("gil", api: "GILAPI",
             mirrors: "the GIL: sys.setswitchinterval, the eval loop's drop request, Py_BEGIN_ALLOW_THREADS around blocking calls",
             rules: [
        .rule("GIL-1", "python线程GIL", c: false,
              """
              Interpreted work runs on one thread at a time: of 4 threads running CPU-bound \
              interpreted sections that hand the GIL over at checkpoints, never two are seen running \
              between checkpoints at once (the observed concurrency is exactly 1).
              """,
              zh: """
              解释执行的工作同一时刻只在一个线程上运行：4 个线程运行 CPU 密集的解释执行片段，\
              在检查点交出 GIL，从未看到两个线程同时在检查点之间运行（观察到的并发度恰好为 1）。
              """),
        .rule("GIL-2", "python线程GIL", c: false,
              """
              A blocking call releases the GIL: 4 threads each inside blocking { } meet at a barrier \
              of 4, so all are in their calls at once; after its call each thread holds the GIL \
              again, and their interpreted work is again one thread at a time.
              """,
              zh: """
              阻塞调用会释放 GIL：4 个线程各自在 blocking { } 中会合于一个 4 方屏障，\
              因此它们同时处于各自的调用中；调用之后每个线程重新持有 GIL，\
              它们解释执行的工作又变为同一时刻只有一个线程。
              """),
        .rule("GIL-3", "python线程GIL", c: false,
              """
              The GIL is handed over: a thread holding it and ticking through checkpoints gives it to \
              a thread that asks, then takes it back (no starvation): a thread looping in checkpoints \
              until a flag is set lets another thread enter interpreted { } and set it.
              """,
              zh: """
              GIL 会被交出：持有 GIL 并不断经过检查点的线程会把它交给请求的线程，\
              之后再取回（不会饿死）：一个在检查点中循环直到某标志被设置的线程，\
              会让另一个线程进入 interpreted { } 并设置该标志。
              """),
        .rule("GIL-4", "python线程GIL", c: false,
              """
              A thread waits a whole switch interval (sys.getswitchinterval(), 5 ms by default) \
              before it asks the holder to drop the GIL: entering interpreted { } while another \
              thread holds it and ticks takes at least the interval.
              """,
              zh: """
              线程要等待一个完整的切换间隔（sys.getswitchinterval()，默认 5 ms）\
              才会请求持有者释放 GIL：另一个线程持有 GIL 并不断经过检查点时，\
              进入 interpreted { } 至少需要这一间隔。
              """),
    ])
}
