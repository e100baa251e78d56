extension Chapter {
    /// 协程技术: coroutines. 协程 are functions that can pause and resume (纤程, 微线程): the context of a
    /// function is saved when it switches away and restored when it is switched back to, all in one
    /// thread, so switching costs no system call and shared data needs no lock, but one core is all
    /// they use. greenlet switches explicitly; gevent and asyncio switch where a call would block.
    public static let coroutines = Chapter(
        id: "coroutines",
        title: "Coroutines: greenlet-style switching, a gevent-style hub, async/await",
        chineseTitle: "协程：greenlet 式切换、gevent 式 hub、async/await",
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
              """,
              zh: """
              新建的协程不运行任何东西（非活动、未结束，父协程是当前协程）；\
              第一次 switch(v) 在同一线程上以 v 调用其函数，在函数中 current() 就是该协程。
              """),
        .rule("COROUTINE-2", "协程技术", c: false,
              """
              switch carries values both ways and keeps the context: a coroutine that switches to \
              its creator makes the creator's switch return the value sent; the next switch to it \
              resumes it where it paused, its own switch returning the new value, its locals intact.
              """,
              zh: """
              switch 双向传递值并保存上下文：协程切换到它的创建者时，\
              创建者的 switch 返回所发送的值；下一次切换到该协程时，它从暂停处恢复执行，\
              它自己的 switch 返回新的值，局部变量保持不变。
              """),
        .rule("COROUTINE-3", "第三方协程模块", c: false,
              """
              When its function returns, the coroutine is dead and the result goes to its parent \
              (not to the coroutine that switched to it last); a switch to a dead coroutine goes to \
              its parent instead, so from the parent it returns the value at once.
              """,
              zh: """
              函数返回时协程结束（dead），结果交给它的父协程（而不是最后切换到它的协程）；\
              切换到已结束的协程会转到它的父协程，因此从父协程切换时立即返回该值。
              """),
        .rule("COROUTINE-4", "第三方协程模块", c: false,
              """
              An error escaping a coroutine's function is thrown in its parent, where the pending \
              switch throws it; the coroutine is dead.
              """,
              zh: """
              从协程函数中逃出的错误在其父协程中抛出，由父协程尚未返回的 switch 抛出；该协程结束。
              """),
        .rule("COROUTINE-5", "第三方协程模块", c: false,
              """
              throw(e) raises e in a paused coroutine at its pending switch, where it may be caught; \
              throw(CoroutineExit()) ends it quietly: its cleanup runs and its parent gets the \
              CoroutineExit as a value, not as an error (Python: GreenletExit).
              """,
              zh: """
              throw(e) 在暂停的协程尚未返回的 switch 处引发 e，协程可以捕获它；\
              throw(CoroutineExit()) 使协程安静地结束：执行它的清理代码，\
              父协程以值而不是错误的形式得到 CoroutineExit（Python：GreenletExit）。
              """),
        .rule("COROUTINE-6", "第三方协程模块", c: false,
              """
              throw into a coroutine that has not started never runs its function: it is dead, and \
              the error is thrown in its parent (a CoroutineExit comes back as the value).
              """,
              zh: """
              对尚未开始的协程 throw 永远不会运行其函数：协程结束，\
              错误在其父协程中抛出（CoroutineExit 则作为值返回）。
              """),
        .rule("COROUTINE-7", "第三方协程模块", c: false,
              """
              Misuse is a CoroutineError: a parent chain made cyclic .cyclicParent (Python: \
              ValueError) with the parent unchanged; a switch from another thread .otherThread \
              (Python: greenlet.error) without starting it. A thread's main coroutine has no parent, \
              and switching to the current coroutine returns the value at once.
              """,
              zh: """
              误用抛出 CoroutineError：使父协程链成环抛出 .cyclicParent（Python：ValueError），\
              父协程保持不变；从另一个线程 switch 抛出 .otherThread（Python：greenlet.error），\
              且不启动该协程。线程的主协程没有父协程，切换到当前协程立即返回该值。
              """),
        .rule("COROUTINE-8", "协程技术", c: false,
              """
              Coroutines are not threads: 10,000 coroutines, each paused inside a recursion with its \
              own locals, live at once on the one thread that made them (the process's thread count \
              does not grow with them), and each resumes with its own locals.
              """,
              zh: """
              协程不是线程：10,000 个协程各自在一次递归中暂停，带着自己的局部变量，\
              同时存在于创建它们的那一个线程上（进程的线程数不随之增长），\
              每个协程恢复时都带着自己的局部变量。
              """),
        .rule("COROUTINE-9", "协程技术", c: false,
              """
              A coroutine's stack ends in a guard page: a recursion deeper than the stack faults \
              (SIGSEGV) in an inaccessible page directly below the coroutine's stack, never writing \
              into the memory beyond it.
              """,
              zh: """
              协程的栈以保护页结尾：比栈更深的递归会在紧挨着协程栈下方的不可访问页中出错\
              （SIGSEGV），绝不会写入栈以外的内存。
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
              """,
              zh: """
              spawn 只负责调度：在创建者等待（joinAll、sleep、join）之前，没有任务运行；\
              之后它们按创建的顺序运行，get 返回每个任务的值。
              """),
        .rule("HUB-2", "第三方协程模块", c: false,
              """
              joinAll(tasks, timeout: t) returns the tasks that are ready, in the order given (gevent: \
              the order they finished), once t has passed: after at least t, or with a timeout of 0 \
              once the ready tasks had one turn, as in gevent; the others run on. kill ends a \
              waiting task, which is then ready with a CoroutineExit as its value.
              """,
              zh: """
              joinAll(tasks, timeout: t) 在 t 过去后按给定顺序返回已就绪的任务（gevent：\
              按完成的顺序）：至少等待 t 之后，或者在超时为 0 时，\
              在已就绪的任务各运行一轮之后返回，与 gevent 相同；其他任务继续运行。\
              kill 结束一个正在等待的任务，该任务随即就绪，其值为 CoroutineExit。
              """),
        .rule("HUB-3", "第三方协程模块", c: false,
              """
              sleep(0) yields: two tasks that sleep(0) after each step take turns; sleep(t) parks \
              the task for at least t while the others run.
              """,
              zh: """
              sleep(0) 让出执行：每一步之后都 sleep(0) 的两个任务轮流运行；\
              sleep(t) 让任务至少暂停 t，其间其他任务运行。
              """),
        .rule("HUB-4", "第三方协程模块", c: false,
              """
              A task's error is kept on the task: joinAll and join return normally, the task is \
              ready and not successful, and get throws the error.
              """,
              zh: """
              任务的错误保存在任务上：joinAll 和 join 正常返回，该任务已就绪但不成功，\
              get 抛出该错误。
              """),
        .rule("HUB-5", "协程技术", c: false,
              """
              All tasks of a hub run on the one thread that spawned them, and they are concurrent \
              where they wait: 10 tasks that each sleep all start before any of them ends.
              """,
              zh: """
              一个 hub 的所有任务都在创建它们的那一个线程上运行，它们在等待处并发：\
              10 个各自 sleep 的任务在其中任何一个结束之前全部开始。
              """),
        .rule("HUB-6", "协程技术", c: false,
              """
              Cooperative, not preemptive: a task that never waits keeps every other task from \
              running until it is done (the course's warning: 协程 only switch at gevent's \
              blocking calls).
              """,
              zh: """
              协作式的，而非抢占式的：从不等待的任务会阻止其他所有任务运行，\
              直到它完成（课程的提醒：协程只有遇到 gevent 指定的阻塞行为时才会切换）。
              """),
        .rule("HUB-7", "第三方协程模块", c: false,
              """
              Cooperative IO (what monkey.patch_all gives): a task waiting for a descriptor to be \
              readable parks and lets the others run, and wakes when one writes to it; the wait \
              throws HubError.timeout after at least its timeout, and .descriptorInUse while \
              another task waits for the same descriptor.
              """,
              zh: """
              协作式 IO（monkey.patch_all 提供的）：等待描述符可读的任务会暂停，让其他任务运行，\
              有人写入时被唤醒；等待至少超时时间之后抛出 HubError.timeout，\
              另一个任务正在等待同一描述符时抛出 .descriptorInUse。
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
              """,
              zh: """
              事件循环上的 async/await 和 hub 一样在一个线程上运行：\
              run 在调用线程上执行其主体和每个子任务，它们在 await 处并发：\
              10 个各自 sleep 的任务在其中任何一个结束之前全部开始，\
              等待某个描述符的任务会让写入该描述符的任务运行。
              """),
        .rule("ASYNC-2", "标准库协程的实现", c: false,
              """
              Cooperative, as the hub: a task that never awaits keeps every other task of the loop \
              from running until it is done.
              """,
              zh: """
              和 hub 一样是协作式的：从不 await 的任务会阻止事件循环中其他所有任务运行，\
              直到它完成。
              """),
        .rule("ASYNC-3", "标准库协程的实现", c: false,
              """
              Cancellation ends the awaits, where the hub's kill throws into a coroutine: cancelling \
              a task group makes its children's sleep and descriptor waits throw CancellationError \
              (their defers run), and a child that never waits sees it only by asking \
              Task.isCancelled.
              """,
              zh: """
              取消会结束 await（而 hub 的 kill 是向协程中 throw）：\
              取消一个任务组会使其子任务的 sleep 和描述符等待抛出 CancellationError（它们\
              的 defer 会执行），从不等待的子任务只有通过查询 Task.isCancelled 才能察觉。
              """),
    ])
}
