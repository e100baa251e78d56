extension Chapter {
    /// 进程间通信(IPC): pipes, message queues, shared memory and semaphores, between processes.
    public static let ipc = Chapter(
        id: "ipc",
        title: "Inter-process communication: Pipe, Queue, shared memory, semaphores",
        chineseTitle: "进程间通信：管道（Pipe）、消息队列（Queue）、共享内存、信号量",
        sections: ["管道通信(Pipe)", "消息队列", "共享内存", "信号量(信号灯集)"],
        concepts: [pipeConcept, queueConcept, sharedMemoryConcept, semaphoreConcept])

    private static let pipeConcept: Concept.Draft =
    .concept("pipe", api: "PipeAPI",
             mirrors: "multiprocessing.Pipe(duplex), Connection.send/recv/send_bytes/recv_bytes/poll/close",
             rules: [
        .rule("PIPE-1", "管道通信(Pipe)", c: true,
              """
              pipe(duplex: true) gives two ends that both send and receive, between processes: what \
              one end sends, the other receives.
              """,
              zh: """
              pipe(duplex: true) 给出两端，进程之间两端都可以发送和接收：\
              一端发送的内容由另一端接收。
              """),
        .rule("PIPE-2", "管道通信(Pipe)", c: false,
              """
              pipe(duplex: false) gives (reader, writer): the reader only receives and the writer \
              only sends; the other direction throws .readOnly or .writeOnly (Python: OSError).
              """,
              zh: """
              pipe(duplex: false) 给出 (reader, writer)：reader 只能接收，writer 只能发送；\
              反方向的操作抛出 .readOnly 或 .writeOnly（Python：OSError）。
              """),
        .rule("PIPE-3", "管道通信(Pipe)", c: true,
              """
              Messages keep their boundaries: each receive returns exactly one message as it was \
              sent, never merged with the next or split, and an empty message is a message.
              """,
              zh: """
              消息保持边界：每次接收恰好返回一条原样的消息，不与下一条合并，也不被拆开；\
              空消息也是一条消息。
              """),
        .rule("PIPE-4", "管道通信(Pipe)", c: true,
              """
              A message far larger than the kernel's buffer (16 MiB) arrives whole and in order.
              """,
              zh: """
              远大于内核缓冲区的消息（16 MiB）完整、按顺序到达。
              """),
        .rule("PIPE-5", "管道通信(Pipe)", c: true,
              """
              Once the other end is closed in every process, recv returns what was sent and then \
              throws .endOfFile at once, never hangs (Python: EOFError); poll reports it as \
              something to receive.
              """,
              zh: """
              另一端在所有进程中都关闭后，recv 先返回已发送的内容，然后立即抛出 .endOfFile，\
              绝不挂起（Python：EOFError）；poll 把这种情况报告为有内容可接收。
              """),
        .rule("PIPE-6", "管道通信(Pipe)", c: false,
              """
              poll(timeout:) says whether something can be received without consuming it: false at \
              once for a timeout of 0 or less and after at least t otherwise, true again and again \
              while a message waits.
              """,
              zh: """
              poll(timeout:) 报告是否有内容可接收，但不取走它：超时为 0 或更小时立即返回 false，\
              否则至少等待 t 之后返回 false；有消息等待时一次又一次地返回 true。
              """),
        .rule("PIPE-7", "管道通信(Pipe)", c: false,
              """
              After close(), send, recv and poll throw .closed (Python: OSError "handle is closed"), \
              and closing twice is harmless.
              """,
              zh: """
              close() 之后，send、recv 和 poll 抛出 .closed（Python：\
              OSError "handle is closed"），关闭两次无害。
              """),
        .rule("PIPE-8", "管道通信(Pipe)", c: true,
              """
              Sending when the other end is closed throws .brokenPipe and does not kill the sender \
              with SIGPIPE (Python ignores SIGPIPE and raises BrokenPipeError).
              """,
              zh: """
              另一端已关闭时发送抛出 .brokenPipe，发送方不会被 SIGPIPE 杀死（Python 忽\
              略 SIGPIPE 并抛出 BrokenPipeError）。
              """),
    ])

    private static let queueConcept: Concept.Draft =
    .concept("queue", api: "QueueAPI",
             mirrors: "multiprocessing.Queue(maxsize), put/get(block, timeout), full/empty/qsize, close",
             rules: [
        .rule("QUEUE-1", "消息队列", c: false,
              """
              What one process puts, another gets: whole values in the order they were put, \
              including one of 16 MiB, far more than any kernel buffer.
              """,
              zh: """
              一个进程存入的内容由另一个进程取出：值完整，顺序与存入时相同，包括一个 16 MiB 的值，\
              远大于任何内核缓冲区。
              """),
        .rule("QUEUE-2", "消息队列", c: false,
              """
              get on an empty queue throws .empty (Python: queue.Empty): at once when not blocking \
              (whatever the timeout) or with a timeout of 0 or less, after at least t with a timeout t.
              """,
              zh: """
              对空队列 get 抛出 .empty（Python：queue.Empty）：非阻塞时（无论超时多少）\
              或超时为 0 或更小时立即抛出，超时为 t 时至少等待 t 之后抛出。
              """),
        .rule("QUEUE-3", "消息队列", c: false,
              """
              put on a full queue throws .full (Python: queue.Full): at once when not blocking \
              (whatever the timeout) or with a timeout of 0 or less, after at least t with a timeout \
              t; the queue keeps what it held.
              """,
              zh: """
              对满队列 put 抛出 .full（Python：queue.Full）：非阻塞时（无论超时多少）\
              或超时为 0 或更小时立即抛出，超时为 t 时至少等待 t 之后抛出；队列保留原有的内容。
              """),
        .rule("QUEUE-4", "消息队列", c: false,
              """
              A maxsize of 0 or less is unbounded: 10000 puts with nobody getting never block, and \
              the queue is never full.
              """,
              zh: """
              maxsize 为 0 或更小表示不限大小：没有进程取出时 put 10000 次也从不阻塞，\
              队列永远不满。
              """),
        .rule("QUEUE-5", "消息队列", c: false,
              """
              count (qsize), isEmpty and isFull describe the queue as soon as put or get returns. \
              This differs from CPython on purpose: its put hands the value to a feeder thread, so \
              empty() can still be true just after a put.
              """,
              zh: """
              put 或 get 一返回，count（qsize）、isEmpty 和 isFull 就反映队列的状态。\
              这里有意与 CPython 不同：CPython 的 put 把值交给一个 feeder 线程，\
              所以 put 之后 empty() 仍可能为真。
              """),
        .rule("QUEUE-6", "消息队列", c: false,
              """
              A get blocked on an empty queue is woken by a put from another process, and a put \
              blocked on a full queue by a get from another process.
              """,
              zh: """
              阻塞在空队列上的 get 会被另一个进程的 put 唤醒，\
              阻塞在满队列上的 put 会被另一个进程的 get 唤醒。
              """),
        .rule("QUEUE-7", "消息队列", c: false,
              """
              After close(), put and get throw .closed (Python: ValueError "Queue is closed") and \
              closing twice is harmless; close() ends only this process's use of the queue.
              """,
              zh: """
              close() 之后，put 和 get 抛出 .closed（Python：ValueError "Queue is closed"），\
              关闭两次无害；close() 只结束本进程对队列的使用。
              """),
        .rule("QUEUE-8", "消息队列", c: false,
              """
              With many producer and many consumer processes, every value put is got exactly once \
              (count and sum agree) and each consumer sees each producer's values in order.
              """,
              zh: """
              有多个生产者进程和多个消费者进程时，每个存入的值恰好被取出一次（个数和总和都一致），\
              每个消费者看到的同一生产者的值保持顺序。
              """),
    ])

    private static let sharedMemoryConcept: Concept.Draft =
    .concept("shared", api: "SharedMemoryAPI",
             mirrors: "multiprocessing.Value(typecode, value), Array(typecode, size_or_values), .value, [i], get_lock()",
             rules: [
        .rule("SHARED-1", "共享内存", c: false,
              """
              The type codes are the course's table: c (a byte), b B h H i I l L (integers of \
              1, 2, 4 and 8 bytes, signed and unsigned), u (a Unicode character), f d (float, \
              double); a value starts at zero; any other code throws .unknownTypeCode.
              """,
              zh: """
              类型码就是课程中的表：c（一个字节），b B h H i I l L（1、2、4、\
              8 字节的有符号和无符号整数），u（一个 Unicode 字符），f d（float、double）；\
              值从零开始；其他类型码抛出 .unknownTypeCode。
              """),
        .rule("SHARED-2", "共享内存", c: false,
              """
              A value outside its code's range or of another kind throws .outOfRange or .wrongKind \
              and leaves the memory as it was. This differs from CPython on purpose: ctypes cuts \
              Value('b', 300) to 44 without a word.
              """,
              zh: """
              超出类型码范围或种类不符的值抛出 .outOfRange 或 .wrongKind，并保持共享内存原样。\
              这里有意与 CPython 不同：ctypes 会把 Value('b', 300) 悄悄截成 44。
              """),
        .rule("SHARED-3", "共享内存", c: false,
              """
              An Array is made from a count (all zero) or from initial values; a negative count \
              throws .negativeCount and an index outside 0..<count throws .indexOutOfRange, never \
              crashes (Python counts -1 from the end; Swift indexes do not).
              """,
              zh: """
              Array 由个数（全为零）或初始值创建；负的个数抛出 .negativeCount，\
              超出 0..<count 的下标抛出 .indexOutOfRange，绝不崩溃（Python 中 -1 从末尾数起，\
              Swift 的下标不这样）。
              """),
        .rule("SHARED-4", "共享内存", c: true,
              """
              Values and arrays are shared, not copied: what one process writes after fork, the \
              others read (MAP_SHARED, where MAP_PRIVATE would copy on write).
              """,
              zh: """
              Value 和 Array 是共享的，不是复制的：一个进程在 fork 之后写入的内容，\
              其他进程都能读到（MAP_SHARED；若用 MAP_PRIVATE 则会写时复制）。
              """),
        .rule("SHARED-5", "共享内存", c: false,
              """
              value += 1 is a read then a write: when another process writes in between, an update \
              is lost. Inside withLock (Python: with v.get_lock()), the same schedule waits, and \
              increments from many processes add up exactly.
              """,
              zh: """
              value += 1 是先读后写：另一个进程在两者之间写入时，一次更新就会丢失。\
              在 withLock 中（Python：with v.get_lock()），同样的调度会等待，\
              多个进程的递增结果准确相加。
              """),
        .rule("SHARED-6", "共享内存", c: true,
              """
              No segment outlives its owners: the memory of live values and arrays has no name \
              left to remove (nothing in /dev/shm, no file not yet unlinked), and no System V \
              segment a process made is left once it has ended.
              """,
              zh: """
              共享内存段不会比它的所有者存活得更久：存活的 Value 和 Array 的内存没有留下需要删除的\
              名字（/dev/shm 中没有，也没有尚未 unlink 的文件），\
              进程结束后它创建的 System V 共享内存段也不会留下。
              """),
    ])

    private static let semaphoreConcept: Concept.Draft =
    .concept("semaphore", api: "SemaphoreAPI",
             mirrors: "multiprocessing.Semaphore(value), BoundedSemaphore, acquire(block, timeout), release, get_value",
             rules: [
        .rule("SEM-1", "信号量(信号灯集)", c: true,
              """
              acquire on a semaphore at 0 returns false: at once when not blocking (whatever the \
              timeout) or with a timeout of 0 or less, after at least t with a timeout t; above 0 \
              it returns true and takes one.
              """,
              zh: """
              对值为 0 的信号量 acquire 返回 false：非阻塞时（无论超时多少）\
              或超时为 0 或更小时立即返回，超时为 t 时至少等待 t 之后返回；\
              值大于 0 时返回 true 并将其减 1。
              """),
        .rule("SEM-2", "信号量(信号灯集)", c: true,
              """
              release wakes one waiter: with two processes blocked in acquire, one release lets \
              exactly one of them through.
              """,
              zh: """
              release 唤醒一个等待者：有两个进程阻塞在 acquire 中时，\
              一次 release 恰好放行其中一个。
              """),
        .rule("SEM-3", "信号量(信号灯集)", c: false,
              """
              value (get_value) is the initial value plus releases minus acquires, whichever \
              process made them.
              """,
              zh: """
              value（get_value）等于初始值加上 release 次数再减去 acquire 次数，\
              无论这些操作由哪个进程执行。
              """),
        .rule("SEM-4", "信号量(信号灯集)", c: false,
              """
              A negative initial value throws .negativeValue (Python: OSError EINVAL); a bounded \
              semaphore refuses a release past its initial value with .releasedTooManyTimes \
              (Python: ValueError) and keeps its value.
              """,
              zh: """
              负的初始值抛出 .negativeValue（Python：OSError EINVAL）；\
              有界信号量拒绝超过其初始值的 release，抛出 .releasedTooManyTimes（Python：\
              ValueError），并保持其值不变。
              """),
    ])
}
