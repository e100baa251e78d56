extension Chapter {
    /// 协程技术: coroutines. 协程 are functions that can pause and resume (纤程, 微线程): the context of a
    /// function is saved when it switches away and restored when it is switched back to, all in one
    /// thread, so switching costs no system call and shared data needs no lock, but one core is all
    /// they use. greenlet switches explicitly; gevent and asyncio switch where a call would block.
    public static let coroutines = Chapter(
        id: "coroutines",
        title: "Coroutines: greenlet-style switching, a gevent-style hub, async/await",
        sections: ["协程技术", "标准库协程的实现", "第三方协程模块"],
        concepts: [coroutineConcept, hubConcept, asyncConcept])

    private static let coroutineConcept: Concept.Draft =
    .concept("coroutine", api: "CoroutineAPI",
             mirrors: "greenlet.greenlet(run, parent), switch, throw, dead, bool(g), parent, greenlet.getcurrent(), GreenletExit",
             rules: [
        .rule("COROUTINE-1", "第三方协程模块", c: false,
              """
              A new coroutine runs nothing (not active, not dead, its parent the current coroutine); \
              the first switch(v) runs its function with v on the same thread, where current() is \
              the coroutine.
              """),
        .rule("COROUTINE-2", "协程技术", c: false,
              """
              switch carries values both ways and keeps the context: a coroutine that switches to \
              its creator makes the creator's switch return the value sent; the next switch to it \
              resumes it where it paused, its own switch returning the new value, its locals intact.
              """),
        .rule("COROUTINE-3", "第三方协程模块", c: false,
              """
              When its function returns, the coroutine is dead and the result goes to its parent \
              (not to the coroutine that switched to it last); a switch to a dead coroutine goes to \
              its parent instead, so from the parent it returns the value at once.
              """),
        .rule("COROUTINE-4", "第三方协程模块", c: false,
              """
              An error escaping a coroutine's function is thrown in its parent, where the pending \
              switch throws it; the coroutine is dead.
              """),
        .rule("COROUTINE-5", "第三方协程模块", c: false,
              """
              throw(e) raises e in a paused coroutine at its pending switch, where it may be caught; \
              throw(CoroutineExit()) ends it quietly: its cleanup runs and its parent gets the \
              CoroutineExit as a value, not as an error (Python: GreenletExit).
              """),
        .rule("COROUTINE-6", "第三方协程模块", c: false,
              """
              throw into a coroutine that has not started never runs its function: it is dead, and \
              the error is thrown in its parent (a CoroutineExit comes back as the value).
              """),
        .rule("COROUTINE-7", "第三方协程模块", c: false,
              """
              Misuse is a CoroutineError: a parent chain made cyclic .cyclicParent (Python: \
              ValueError) with the parent unchanged; a switch from another thread .otherThread \
              (Python: greenlet.error) without starting it. A thread's main coroutine has no parent, \
              and switching to the current coroutine returns the value at once.
              """),
        .rule("COROUTINE-8", "协程技术", c: false,
              """
              Coroutines are not threads: 10,000 coroutines, each paused inside a recursion with its \
              own locals, live at once on the one thread that made them (the process's thread count \
              does not grow with them), and each resumes with its own locals.
              """),
        .rule("COROUTINE-9", "协程技术", c: false,
              """
              A coroutine's stack ends in a guard page: a recursion deeper than the stack faults \
              (SIGSEGV) in an inaccessible page directly below the coroutine's stack, never writing \
              into the memory beyond it.
              """),
    ])

    private static let hubConcept: Concept.Draft =
    .concept("hub", api: "HubAPI",
             mirrors: "gevent.spawn(fn), gevent.joinall(list, timeout), gevent.sleep(sec), Greenlet.get/join/kill/ready/successful, gevent.socket.wait_read",
             rules: [
        .rule("HUB-1", "第三方协程模块", c: false,
              """
              spawn only schedules: no task runs until the spawner waits (joinAll, sleep, join); \
              then they run in the order they were spawned, and get returns each one's value.
              """),
        .rule("HUB-2", "第三方协程模块", c: false,
              """
              joinAll(tasks, timeout: t) returns the tasks that are ready, in the order given (gevent: \
              the order they finished), once t has passed: after at least t, or with a timeout of 0 \
              once the ready tasks had one turn, as in gevent; the others run on. kill ends a \
              waiting task, which is then ready with a CoroutineExit as its value.
              """),
        .rule("HUB-3", "第三方协程模块", c: false,
              """
              sleep(0) yields: two tasks that sleep(0) after each step take turns; sleep(t) parks \
              the task for at least t while the others run.
              """),
        .rule("HUB-4", "第三方协程模块", c: false,
              """
              A task's error is kept on the task: joinAll and join return normally, the task is \
              ready and not successful, and get throws the error.
              """),
        .rule("HUB-5", "协程技术", c: false,
              """
              All tasks of a hub run on the one thread that spawned them, and they are concurrent \
              where they wait: 10 tasks that each sleep all start before any of them ends.
              """),
        .rule("HUB-6", "协程技术", c: false,
              """
              Cooperative, not preemptive: a task that never waits keeps every other task from \
              running until it is done (the course's warning: 协程 only switch at gevent's \
              blocking calls).
              """),
        .rule("HUB-7", "第三方协程模块", c: false,
              """
              Cooperative IO (what monkey.patch_all gives): a task waiting for a descriptor to be \
              readable parks and lets the others run, and wakes when one writes to it; the wait \
              throws HubError.timeout after at least its timeout, and .descriptorInUse while \
              another task waits for the same descriptor.
              """),
    ])

    private static let asyncConcept: Concept.Draft =
    .concept("async", api: "AsyncLoopAPI",
             mirrors: "asyncio.run(main()), asyncio.sleep, asyncio.gather / TaskGroup, Task.cancel and CancelledError, loop.sock_recv's wait",
             rules: [
        .rule("ASYNC-1", "标准库协程的实现", c: false,
              """
              async/await on the loop runs on one thread, as the hub does: run executes its body \
              and every child task on the calling thread, and they are concurrent where they \
              await: 10 tasks that each sleep all start before any ends, and a task awaiting a \
              descriptor lets the task that writes to it run.
              """),
        .rule("ASYNC-2", "标准库协程的实现", c: false,
              """
              Cooperative, as the hub: a task that never awaits keeps every other task of the loop \
              from running until it is done.
              """),
        .rule("ASYNC-3", "标准库协程的实现", c: false,
              """
              Cancellation ends the awaits, where the hub's kill throws into a coroutine: cancelling \
              a task group makes its children's sleep and descriptor waits throw CancellationError \
              (their defers run), and a child that never waits sees it only by asking \
              Task.isCancelled.
              """),
    ])
}
