extension Chapter {
    /// 进程间通信(IPC): pipes so far; message queues, shared memory and semaphores follow.
    public static let ipc = Chapter(
        id: "ipc",
        title: "Inter-process communication: Pipe",
        sections: ["管道通信(Pipe)"],
        concepts: [pipeConcept])

    private static let pipeConcept: Concept.Draft =
    .concept("pipe", api: "PipeAPI",
             mirrors: "multiprocessing.Pipe(duplex), Connection.send/recv/send_bytes/recv_bytes/poll/close",
             rules: [
        .rule("PIPE-1", "管道通信(Pipe)", c: true,
              """
              pipe(duplex: true) gives two ends that both send and receive, between processes: what \\
              one end sends, the other receives.
              """),
        .rule("PIPE-2", "管道通信(Pipe)", c: false,
              """
              pipe(duplex: false) gives (reader, writer): the reader only receives and the writer \\
              only sends; the other direction throws .readOnly or .writeOnly (Python: OSError).
              """),
        .rule("PIPE-3", "管道通信(Pipe)", c: true,
              """
              Messages keep their boundaries: each receive returns exactly one message as it was \\
              sent, never merged with the next or split, and an empty message is a message.
              """),
        .rule("PIPE-4", "管道通信(Pipe)", c: true,
              """
              A message far larger than the kernel's buffer (16 MiB) arrives whole and in order.
              """),
        .rule("PIPE-5", "管道通信(Pipe)", c: true,
              """
              Once the other end is closed in every process, recv returns what was sent and then \\
              throws .endOfFile at once, never hangs (Python: EOFError); poll reports it as \\
              something to receive.
              """),
        .rule("PIPE-6", "管道通信(Pipe)", c: false,
              """
              poll(timeout:) says whether something can be received without consuming it: false at \\
              once for a timeout of 0 or less and after at least t otherwise, true again and again \\
              while a message waits.
              """),
        .rule("PIPE-7", "管道通信(Pipe)", c: false,
              """
              After close(), send, recv and poll throw .closed (Python: OSError "handle is closed"), \\
              and closing twice is harmless.
              """),
        .rule("PIPE-8", "管道通信(Pipe)", c: true,
              """
              Sending when the other end is closed throws .brokenPipe and does not kill the sender \\
              with SIGPIPE (Python ignores SIGPIPE and raises BrokenPipeError).
              """),
    ])
}
