import Conformance
import Glibc

/// One worker process of a pool, as the pool's owner sees it: a daemonic `Process` that serves
/// tasks, a connected socket pair (tasks one way, replies the other) and a pidfd that polls
/// readable once it has ended. A socket pair rather than two pipes: see `Channel`.
///
/// Frames towards the worker: a task id and the pickled input; an empty frame asks the worker to
/// end. Frames back: the task id, a kind byte (`Reply.Kind`) and its payload.
final class Worker {
    let process: Process
    /// The owner's end of the socket pair, non-blocking.
    let channel: CInt
    /// pidfd_open(2) of the worker: readable once it has ended.
    let ended: CInt
    /// Task frames not yet accepted by the socket.
    var outgoing: [UInt8] = []
    /// Reply bytes read but not yet handled.
    var incoming = FrameBuffer()
    /// The tasks sent, in the order the worker runs them; the first is the one running.
    var inFlight: [UInt64] = []

    /// Forks a worker that runs `work` on each task. `inherited` are the owner's descriptors of
    /// the other workers, which the new worker closes: they are not its business.
    init<Input: Decodable, Output: Encodable>(
        name: String, work: @escaping (Input) throws -> Output, closing inherited: [CInt]
    ) throws(PoolError) {
        let ends = try Channel.socketPair().mapError { PoolError.system($0) }.get()
        let (owner, worker) = (ends[0], ends[1])
        process = Process(name: name, daemon: true, target: {
            for descriptor in inherited + [owner] { close(descriptor) }
            Worker.serve(worker, work: work)
        })
        do {
            try process.start()
        } catch {
            ends.forEach { close($0) }
            guard case .system(let errno) = error else { throw .system(.invalidArgument) }
            throw .system(errno)
        }
        close(worker)
        channel = owner
        _ = fcntl(channel, F_SETFL, O_NONBLOCK)
        ended = system_pidfd_open(process.pid!.rawValue)
    }

    /// The owner's descriptors of this worker.
    var descriptors: [CInt] { [channel, ended] }

    /// Writes as much of `outgoing` as the pipe takes now.
    func flush() {
        guard !outgoing.isEmpty else { return }
        let count = outgoing.withUnsafeBufferPointer { buffer in
            valueOrErrno { send(channel, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
        }
        if case .success(let n) = count { outgoing.removeFirst(n) }
    }

    /// Asks the worker to end once its queued tasks are done, and closes the owner's ends.
    func stop() {
        FrameBuffer.append(to: &outgoing)
        // The worker reads every frame before the empty one, so a blocking send is safe here.
        _ = fcntl(channel, F_SETFL, 0)
        _ = Channel.sendAll(channel, outgoing)
        outgoing = []
        closeDescriptors()
    }

    func closeDescriptors() {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }

    /// The worker's whole life, in the child: read a task, run it, send the reply, until an empty
    /// frame, end of file, or an owner that has gone.
    private static func serve<Input: Decodable, Output: Encodable>(_ channel: CInt, work: (Input) throws -> Output) {
        var buffer = FrameBuffer()
        while true {
            guard let frame = buffer.next() else {
                guard case .success(let count) = buffer.fill(from: channel), count > 0 else { return }
                continue
            }
            guard let id = TaskID.read(frame) else { return }
            var reply: [UInt8] = []
            FrameBuffer.append(TaskID.bytes(id), Reply.run(work, on: frame.dropFirst(8)), to: &reply)
            guard Channel.sendAll(channel, reply) == nil else { return }
        }
    }
}

/// What a worker sends back for one task: a kind byte and the pickled outputs, error or reason.
///
/// A task is a chunk of inputs (one for `applyAsync`, many for `map`), run in order; the first
/// error ends the chunk, as in Python's `map`.
enum Reply {
    enum Kind: UInt8 {
        /// The pickled outputs, one per input.
        case value
        /// The pickled `[type, message]` of the error the work threw.
        case error
        /// The pickled reason why the input or output could not be pickled.
        case notTransferable
    }

    /// Runs the work on each pickled input of a chunk and returns the kind byte and payload.
    static func run<Input: Decodable, Output: Encodable>(
        _ work: (Input) throws -> Output, on pickled: ArraySlice<UInt8>
    ) -> [UInt8] {
        let inputs: [Input]
        do {
            inputs = try Pickle.loads([Input].self, from: pickled)
        } catch {
            return encode(.notTransferable, "the input: \(error)")
        }
        var outputs: [Output] = []
        outputs.reserveCapacity(inputs.count)
        do {
            for input in inputs { outputs.append(try work(input)) }
        } catch {
            return encode(.error, [String(reflecting: type(of: error)), String(describing: error)])
        }
        do {
            return [Kind.value.rawValue] + (try Pickle.dumps(outputs))
        } catch {
            return encode(.notTransferable, "the output: \(error)")
        }
    }

    private static func encode<Value: Encodable>(_ kind: Kind, _ value: Value) -> [UInt8] {
        [kind.rawValue] + ((try? Pickle.dumps(value)) ?? [])
    }

    /// Reads a reply payload (after the task id) back into the outputs of a chunk, or its error.
    static func outcome<Output: Decodable>(_ payload: ArraySlice<UInt8>, as type: Output.Type) -> Result<[Output], PoolError> {
        guard let byte = payload.first, let kind = Kind(rawValue: byte) else {
            return .failure(.notTransferable("a reply the pool cannot read"))
        }
        let body = payload.dropFirst()
        do {
            switch kind {
            case .value:
                return .success(try Pickle.loads([Output].self, from: body))
            case .error:
                let parts = try Pickle.loads([String].self, from: body)
                return .failure(.taskFailed(type: parts.first ?? "", message: parts.last ?? ""))
            case .notTransferable:
                return .failure(.notTransferable(try Pickle.loads(String.self, from: body)))
            }
        } catch {
            return .failure(.notTransferable("the reply: \(error)"))
        }
    }
}
