import Glibc

/// Interrupts a thread's blocked system call: a SIGUSR1 handler installed without SA_RESTART makes
/// the kernel end the call with EINTR, and the handler reports each delivery through a pipe. A
/// call that must go on waiting (Python retries since PEP 475) has to call the kernel again.
final class Interrupter {
    private let handled: Pipe

    init() throws {
        handled = try Pipe()
        interrupterDescriptor = handled.writeEnd
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in _ = write(interrupterDescriptor, "!", 1) }
        action.sa_flags = 0  // no SA_RESTART: the kernel ends the blocked call with EINTR
        sigaction(SIGUSR1, &action, nil)
    }

    /// Sends SIGUSR1 to `thread` and returns once its handler has run, so the call it was blocked
    /// in has returned.
    func interrupt(_ thread: CheckThread) {
        step("interrupting the blocked call with SIGUSR1")
        thread.send(.user1)
        var mark: UInt8 = 0
        _ = read(handled.readEnd, &mark, 1)
    }
}

/// Where the SIGUSR1 handler writes; set before the handler is installed.
nonisolated(unsafe) private var interrupterDescriptor: CInt = -1
