extension Chapter {
    /// 线程编程(Thread), 同步互斥, 死锁及其处理 and python线程GIL: threads, events, locks, deadlock and a
    /// model of the GIL.
    public static let threads = Chapter(
        id: "threads",
        title: "Threads: Thread, Event, Lock, deadlock, the GIL",
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
              """),
        .rule("THREAD-2", "线程编程(Thread)", c: false,
              """
              join(timeout: t) returns after at least t with the thread still alive when it runs \
              longer, and at once for a timeout of 0 or less; it never throws the thread's result.
              """),
        .rule("THREAD-3", "线程编程(Thread)", c: false,
              """
              A thread is named Thread-N, N counting the unnamed thread objects of the process \
              from 1, unless given a name (Python adds the target's name in parentheses; a Swift closure \
              has none); its daemon flag starts as that of the thread that made it.
              """),
        .rule("THREAD-4", "线程编程(Thread)", c: true,
              """
              Misuse is a ThreadError (Python: RuntimeError): start() twice and setDaemon after \
              start() throw .alreadyStarted, join before start() .notStarted, a thread joining \
              itself .joinSelf.
              """),
        .rule("THREAD-5", "线程编程(Thread)", c: false,
              """
              A process's normal end (exit) waits for its non-daemon threads to finish, and does \
              not wait for its daemon threads.
              """),
        .rule("THREAD-6", "线程编程(Thread)", c: false,
              """
              An error thrown by a thread's body reaches neither start() nor join(): the thread \
              ends and "Exception in thread NAME:" with the error is written to stderr.
              """),
        .rule("THREAD-7", "进程线程的区别联系", c: false,
              """
              Threads share their process's memory: what one thread writes, the others read, \
              with the same pid and each its own kernel thread id (native_id).
              """),
        .rule("THREAD-8", "进程线程的区别联系", c: true,
              """
              Processes do not: fork in a process with several threads copies the memory and only \
              the calling thread, so the child has one thread and the threads' later writes stay \
              in the parent.
              """),
    ])

    private static let eventConcept: Concept.Draft =
    .concept("event", api: "EventAPI", mirrors: "threading.Event: set, clear, is_set, wait(timeout)", rules: [
        .rule("EVENT-1", "同步互斥", c: false,
              """
              A new event is not set; set() sets it and clear() clears it; wait returns true at \
              once while it is set.
              """),
        .rule("EVENT-2", "同步互斥", c: false,
              """
              wait(timeout:) on an event that is not set returns false: at once for a timeout of 0 \
              or less, after at least t for a timeout t.
              """),
        .rule("EVENT-3", "同步互斥", c: false,
              """
              One set() wakes every thread waiting for the event, and each wait returns true.
              """),
    ])

    private static let lockConcept: Concept.Draft =
    .concept("lock", api: "LockAPI", mirrors: "threading.Lock, threading.RLock: acquire(blocking, timeout), release, locked, with", rules: [
        .rule("LOCK-1", "同步互斥", c: true,
              """
              acquire() of a free lock returns true; on a held lock acquire returns false at once \
              when not blocking or with a timeout of 0, and after at least t with a timeout t.
              """),
        .rule("LOCK-2", "同步互斥", c: true,
              """
              Misuse is a LockError: release of an unlocked lock .notLocked (Python: RuntimeError), \
              a timeout without blocking .timeoutWithoutBlocking and a negative one .negativeTimeout \
              (Python: ValueError; no timeout is nil where Python writes -1).
              """),
        .rule("LOCK-3", "同步互斥", c: false,
              """
              withLock (Python: with lock:) holds the lock while its body runs and releases it when \
              the body returns or throws.
              """),
        .rule("LOCK-4", "同步互斥", c: true,
              """
              A thread that acquires a plain lock it already holds waits for ever (the simplest \
              deadlock) until another thread releases it: a plain lock has no owner.
              """),
        .rule("LOCK-5", "同步互斥", c: false,
              """
              A reentrant lock's owner may acquire it again and must release it as many times; \
              meanwhile other threads cannot acquire it, and their release throws .notOwner.
              """),
        .rule("LOCK-6", "同步互斥", c: false,
              """
              A thread blocked in acquire is woken when the holder releases, and gets the lock.
              """),
        .rule("LOCK-7", "同步互斥", c: false,
              """
              Mutual exclusion, shown by the outcome: 4 threads each adding 1 to a shared counter \
              5000 times under the lock leave exactly 20000.
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
              """),
        .rule("DEADLOCK-2", "死锁及其处理", c: false,
              """
              The detector reports the cycle of the wait-for graph, naming each thread with the \
              lock it holds and the lock it waits for; a thread merely waiting for a held lock is \
              no cycle.
              """),
        .rule("DEADLOCK-3", "死锁及其处理", c: false,
              """
              The lock-order validator (as lockdep) reports two locks taken in both orders, A then \
              B by one thread and later B then A by another, with both threads, though neither \
              run deadlocked.
              """),
        .rule("DEADLOCK-4", "死锁及其处理", c: false,
              """
              Breaking 环路等待 (circular wait): taking both locks in one global order lets the \
              two-lock scenario finish, each body holding both locks to itself.
              """),
        .rule("DEADLOCK-5", "死锁及其处理", c: false,
              """
              Breaking 请求和保持 (hold and wait): taking the second lock only when it is free, \
              else releasing the first and backing off, lets the scenario finish likewise.
              """),
        .rule("DEADLOCK-6", "死锁及其处理", c: false,
              """
              Breaking 不剥夺 (no preemption): waiting for the second lock at most a timeout, then \
              giving up the first and trying again, lets the scenario finish likewise.
              """),
        .rule("DEADLOCK-7", "死锁及其处理", c: false,
              """
              Breaking 互斥 (mutual exclusion) by spooling: one thread owns both resources and runs \
              the others' work, so no thread holds a lock while it waits; the scenario finishes \
              likewise.
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
              """),
        .rule("GIL-2", "python线程GIL", c: false,
              """
              A blocking call releases the GIL: 4 threads each inside blocking { } meet at a barrier \
              of 4, so all are in their calls at once; after its call each thread holds the GIL \
              again, and their interpreted work is again one thread at a time.
              """),
        .rule("GIL-3", "python线程GIL", c: false,
              """
              The GIL is handed over: a thread holding it and ticking through checkpoints gives it to \
              a thread that asks, then takes it back (no starvation): a thread looping in checkpoints \
              until a flag is set lets another thread enter interpreted { } and set it.
              """),
        .rule("GIL-4", "python线程GIL", c: false,
              """
              A thread waits a whole switch interval (sys.getswitchinterval(), 5 ms by default) \
              before it asks the holder to drop the GIL: entering interpreted { } while another \
              thread holds it and ticks takes at least the interval.
              """),
    ])
}
