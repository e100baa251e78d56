extension Chapter {
    /// 进程间通信(IPC): pipes, message queues, shared memory and semaphores, between processes.
    public static let ipc = Chapter(
        id: "ipc",
        title: "Inter-process communication: Pipe, Queue, shared memory, semaphores",
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
              """),
        .rule("PIPE-2", "管道通信(Pipe)", c: false,
              """
              pipe(duplex: false) gives (reader, writer): the reader only receives and the writer \
              only sends; the other direction throws .readOnly or .writeOnly (Python: OSError).
              """),
        .rule("PIPE-3", "管道通信(Pipe)", c: true,
              """
              Messages keep their boundaries: each receive returns exactly one message as it was \
              sent, never merged with the next or split, and an empty message is a message.
              """),
        .rule("PIPE-4", "管道通信(Pipe)", c: true,
              """
              A message far larger than the kernel's buffer (16 MiB) arrives whole and in order.
              """),
        .rule("PIPE-5", "管道通信(Pipe)", c: true,
              """
              Once the other end is closed in every process, recv returns what was sent and then \
              throws .endOfFile at once, never hangs (Python: EOFError); poll reports it as \
              something to receive.
              """),
        .rule("PIPE-6", "管道通信(Pipe)", c: false,
              """
              poll(timeout:) says whether something can be received without consuming it: false at \
              once for a timeout of 0 or less and after at least t otherwise, true again and again \
              while a message waits.
              """),
        .rule("PIPE-7", "管道通信(Pipe)", c: false,
              """
              After close(), send, recv and poll throw .closed (Python: OSError "handle is closed"), \
              and closing twice is harmless.
              """),
        .rule("PIPE-8", "管道通信(Pipe)", c: true,
              """
              Sending when the other end is closed throws .brokenPipe and does not kill the sender \
              with SIGPIPE (Python ignores SIGPIPE and raises BrokenPipeError).
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
              """),
        .rule("QUEUE-2", "消息队列", c: false,
              """
              get on an empty queue throws .empty (Python: queue.Empty): at once when not blocking \
              (whatever the timeout) or with a timeout of 0 or less, after at least t with a timeout t.
              """),
        .rule("QUEUE-3", "消息队列", c: false,
              """
              put on a full queue throws .full (Python: queue.Full): at once when not blocking \
              (whatever the timeout) or with a timeout of 0 or less, after at least t with a timeout \
              t; the queue keeps what it held.
              """),
        .rule("QUEUE-4", "消息队列", c: false,
              """
              A maxsize of 0 or less is unbounded: 10000 puts with nobody getting never block, and \
              the queue is never full.
              """),
        .rule("QUEUE-5", "消息队列", c: false,
              """
              count (qsize), isEmpty and isFull describe the queue as soon as put or get returns. \
              This differs from CPython on purpose: its put hands the value to a feeder thread, so \
              empty() can still be true just after a put.
              """),
        .rule("QUEUE-6", "消息队列", c: false,
              """
              A get blocked on an empty queue is woken by a put from another process, and a put \
              blocked on a full queue by a get from another process.
              """),
        .rule("QUEUE-7", "消息队列", c: false,
              """
              After close(), put and get throw .closed (Python: ValueError "Queue is closed") and \
              closing twice is harmless; close() ends only this process's use of the queue.
              """),
        .rule("QUEUE-8", "消息队列", c: false,
              """
              With many producer and many consumer processes, every value put is got exactly once \
              (count and sum agree) and each consumer sees each producer's values in order.
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
              """),
        .rule("SHARED-2", "共享内存", c: false,
              """
              A value outside its code's range or of another kind throws .outOfRange or .wrongKind \
              and leaves the memory as it was. This differs from CPython on purpose: ctypes cuts \
              Value('b', 300) to 44 without a word.
              """),
        .rule("SHARED-3", "共享内存", c: false,
              """
              An Array is made from a count (all zero) or from initial values; a negative count \
              throws .negativeCount and an index outside 0..<count throws .indexOutOfRange, never \
              crashes (Python counts -1 from the end; Swift indexes do not).
              """),
        .rule("SHARED-4", "共享内存", c: true,
              """
              Values and arrays are shared, not copied: what one process writes after fork, the \
              others read (MAP_SHARED, where MAP_PRIVATE would copy on write).
              """),
        .rule("SHARED-5", "共享内存", c: false,
              """
              value += 1 is a read then a write: when another process writes in between, an update \
              is lost. Inside withLock (Python: with v.get_lock()), the same schedule waits, and \
              increments from many processes add up exactly.
              """),
        .rule("SHARED-6", "共享内存", c: true,
              """
              No segment outlives its owners: the memory of live values and arrays has no name \
              left to remove (nothing in /dev/shm, no file not yet unlinked), and no System V \
              segment a process made is left once it has ended.
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
              """),
        .rule("SEM-2", "信号量(信号灯集)", c: true,
              """
              release wakes one waiter: with two processes blocked in acquire, one release lets \
              exactly one of them through.
              """),
        .rule("SEM-3", "信号量(信号灯集)", c: false,
              """
              value (get_value) is the initial value plus releases minus acquires, whichever \
              process made them.
              """),
        .rule("SEM-4", "信号量(信号灯集)", c: false,
              """
              A negative initial value throws .negativeValue (Python: OSError EINVAL); a bounded \
              semaphore refuses a release past its initial value with .releasedTooManyTimes \
              (Python: ValueError) and keeps its value.
              """),
    ])
}
