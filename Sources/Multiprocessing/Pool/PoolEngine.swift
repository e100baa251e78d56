import Conformance
import Glibc

/// The part of a pool that moves work: sends queued tasks to workers, reads their replies, and
/// replaces workers that died. It runs in the caller's thread whenever the pool is called, so
/// it needs no lock and forks only from a thread that is not racing another.
///
/// Each worker has its own channel and at most `tasksPerWorker` tasks queued, so the engine always
/// knows which task a dead worker was running: the first one it had not answered.
final class PoolEngine<Output: Decodable> {
    enum State {
        case running, closed, terminated
    }

    /// Tasks queued per worker: enough to batch system calls, few enough that an idle worker
    /// rarely waits while another one has tasks queued.
    static var tasksPerWorker: Int { 8 }

    private(set) var state = State.running
    private let makeWorker: (_ inherited: [CInt]) throws(PoolError) -> Worker
    private var workers: [Worker] = []
    /// Tasks not yet sent to a worker, oldest first, from `pendingStart` on.
    private var pending: [Submission<Output>] = []
    private var pendingStart = 0
    /// Every task without an outcome, by id.
    private var unfinished: [UInt64: Submission<Output>] = [:]
    private var nextID: UInt64 = 0

    init(processes: Int, makeWorker: @escaping (_ inherited: [CInt]) throws(PoolError) -> Worker) throws(PoolError) {
        self.makeWorker = makeWorker
        do {
            for _ in 0..<processes { workers.append(try makeWorker(workers.flatMap(\.descriptors))) }
        } catch {
            terminate()
            throw error
        }
    }

    deinit { terminate() }

    /// Queues a pickled chunk of inputs; the caller has checked that the pool is running.
    func submit(_ input: [UInt8]) -> Submission<Output> {
        let submission = Submission<Output>(id: nextID, input: input)
        nextID += 1
        unfinished[submission.id] = submission
        pending.append(submission)
        dispatch()
        return submission
    }

    func close() {
        if state == .running { state = .closed }
    }

    /// Works until `done()` holds or `deadline` passes (nil: no deadline).
    func pump(until done: () -> Bool, deadline: Deadline?) {
        repeat {
            dispatch()
            if done() { return }
            // Nothing can happen any more: no worker and nothing to wait for.
            if workers.isEmpty { return }
            awaitEvents(milliseconds: deadline?.remainingMilliseconds() ?? -1)
        } while !(deadline?.hasPassed ?? false)
        dispatch()
    }

    /// Gives each queued task to the worker with the fewest tasks queued, while one has room,
    /// and writes what the pipes take.
    private func dispatch() {
        while pendingStart < pending.count,
              let worker = workers.min(by: { $0.inFlight.count < $1.inFlight.count }),
              worker.inFlight.count < Self.tasksPerWorker {
            let submission = pending[pendingStart]
            pendingStart += 1
            worker.inFlight.append(submission.id)
            FrameBuffer.append(TaskID.bytes(submission.id), submission.input, to: &worker.outgoing)
        }
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingStart = 0
        }
        for worker in workers { worker.flush() }
    }

    /// One poll(2) over every worker's reply pipe, pidfd, and task pipe when it has bytes to send;
    /// then reads replies, and handles workers that ended (after reading all they sent).
    private func awaitEvents(milliseconds: CInt) {
        var entries: [pollfd] = []
        for worker in workers {
            let events = POLLIN | (worker.outgoing.isEmpty ? 0 : POLLOUT)
            entries.append(pollfd(fd: worker.channel, events: Int16(events), revents: 0))
            entries.append(pollfd(fd: worker.ended, events: Int16(POLLIN), revents: 0))
        }
        guard poll(&entries, nfds_t(entries.count), milliseconds) > 0 else { return }
        var dead: [Worker] = []
        for (index, worker) in workers.enumerated() {
            if entries[2 * index].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readReplies(from: worker) }
            if entries[2 * index + 1].revents != 0 { dead.append(worker) }
        }
        for worker in dead { replace(worker) }
    }

    /// Reads every reply the worker has written so far and records the outcomes. A read that
    /// does not fill the buffer took all there was: no second read is needed to hear EAGAIN.
    private func readReplies(from worker: Worker) {
        while case .success(let count) = worker.incoming.fill(from: worker.channel), count > 0 {
            while let frame = worker.incoming.next() {
                guard let id = TaskID.read(frame), worker.inFlight.first == id else { continue }
                worker.inFlight.removeFirst()
                finish(id, Reply.outcome(frame.dropFirst(8), as: Output.self))
            }
            if count < FrameBuffer.readSize { return }
        }
    }

    private func finish(_ id: UInt64, _ outcome: Result<[Output], PoolError>) {
        guard let submission = unfinished.removeValue(forKey: id) else { return }
        submission.outcome = outcome
        submission.input = []
    }

    /// A worker ended: its running task fails with how it ended, its other tasks go back to the
    /// front of the queue, and a new worker takes its place.
    private func replace(_ worker: Worker) {
        readReplies(from: worker)
        try? worker.process.join()
        let status = worker.process.status ?? .exited(code: 0)
        if let running = worker.inFlight.first { finish(running, .failure(.workerDied(status))) }
        let requeued = worker.inFlight.dropFirst().compactMap { unfinished[$0] }
        pending = requeued + pending[pendingStart...]
        pendingStart = 0
        worker.closeDescriptors()
        workers.removeAll { $0 === worker }
        if state != .terminated, let new = try? makeWorker(workers.flatMap(\.descriptors)) {
            workers.append(new)
        }
        if workers.isEmpty { failUnfinished(.workerDied(status)) }
    }

    /// `join()` after `close()`: every task done, then every worker asked to end and reaped.
    func finishAndStop() {
        pump(until: { unfinished.isEmpty }, deadline: nil)
        for worker in workers {
            worker.stop()
            try? worker.process.join()
        }
        workers = []
    }

    /// Kills every worker now; unfinished tasks fail with `.terminated`.
    func terminate() {
        state = .terminated
        for worker in workers { try? worker.process.kill() }
        for worker in workers {
            try? worker.process.join()
            worker.closeDescriptors()
        }
        workers = []
        failUnfinished(.terminated)
    }

    private func failUnfinished(_ error: PoolError) {
        for id in unfinished.keys.sorted() { finish(id, .failure(error)) }
        pending = []
        pendingStart = 0
    }
}
