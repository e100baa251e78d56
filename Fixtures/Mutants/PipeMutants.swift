import Conformance
import Glibc
import Multiprocessing

/// A pipe end that is the reference `Connection` except for the closures given.
final class MutantEnd: PipeEnd {
    let reference: Connection
    var sendingBytes: ((Connection, [UInt8]) throws(PipeError) -> Void)?
    var receivingBytes: ((Connection) throws(PipeError) -> [UInt8])?
    var polling: ((Connection, Double?) throws(PipeError) -> Bool)?
    var closing: ((Connection) -> Void)?

    init(_ reference: Connection) { self.reference = reference }

    func send<Message: Encodable>(_ message: Message) throws(PipeError) { try reference.send(message) }
    func recv<Message: Decodable>(_ type: Message.Type) throws(PipeError) -> Message { try reference.recv(type) }
    func sendBytes(_ bytes: [UInt8]) throws(PipeError) {
        if let sendingBytes { try sendingBytes(reference, bytes) } else { try reference.sendBytes(bytes) }
    }
    func recvBytes() throws(PipeError) -> [UInt8] {
        if let receivingBytes { return try receivingBytes(reference) }
        return try reference.recvBytes()
    }
    func poll(timeout: Double?) throws(PipeError) -> Bool {
        if let polling { return try polling(reference, timeout) }
        return try reference.poll(timeout: timeout)
    }
    func close() { if let closing { closing(reference) } else { reference.close() } }
}

/// Makes pipes of `MutantEnd`s: `duplex` may change the kind asked for; `change` runs on each end
/// once the pipe is made (to set its closures, say).
struct PipeMutant: PipeAPI {
    var duplex: (Bool) -> Bool = { $0 }
    var change: (MutantEnd) -> Void = { _ in }

    func pipe(duplex wanted: Bool) throws(PipeError) -> (MutantEnd, MutantEnd) {
        let (first, second) = try Connection.pipe(duplex: duplex(wanted))
        let ends = (MutantEnd(first), MutantEnd(second))
        change(ends.0)
        change(ends.1)
        return ends
    }
}

/// Computed, so no mutable global is shared.
var pipeMutants: [Mutant] {
    [
        Mutant("pipe-duplex-is-simplex", "pipe(duplex: true) returns a one-way pair",
               rejectedBy: ["PIPE-1": .fail], PipeSpec(PipeMutant(duplex: { _ in false }))),
        Mutant("pipe-reader-drops-sends", "send on the reading end returns without error and sends nothing",
               rejectedBy: ["PIPE-2": .fail],
               PipeSpec(PipeMutant(change: { end in
                   end.sendingBytes = { (reference, bytes) throws(PipeError) in
                       do throws(PipeError) { try reference.sendBytes(bytes) } catch .readOnly {}
                   }
               }))),
        Mutant("pipe-recv-takes-all-waiting", "recvBytes returns every message waiting, merged into one",
               rejectedBy: ["PIPE-3": .fail],
               PipeSpec(PipeMutant(change: { end in
                   end.receivingBytes = { (reference) throws(PipeError) in
                       var bytes = try reference.recvBytes()
                       while (try? reference.poll(timeout: 0)) == true, let next = try? reference.recvBytes() { bytes += next }
                       return bytes
                   }
               }))),
        Mutant("pipe-one-read-per-message", "a message is what one read(2) returns, at most 64 KiB",
               rejectedBy: ["PIPE-4": .fail],
               PipeSpec(PipeMutant(change: { end in
                   end.receivingBytes = { (reference) throws(PipeError) in Array(try reference.recvBytes().prefix(65536)) }
               }))),
        Mutant("pipe-end-of-file-is-empty-message", "at end of file, recvBytes returns an empty message instead of throwing",
               rejectedBy: ["PIPE-5": .fail],
               PipeSpec(PipeMutant(change: { end in
                   end.receivingBytes = { (reference) throws(PipeError) in
                       do throws(PipeError) { return try reference.recvBytes() } catch .endOfFile { return [] }
                   }
               }))),
        Mutant("pipe-poll-consumes", "poll receives the waiting message to see whether there is one",
               rejectedBy: ["PIPE-6": .fail],
               PipeSpec(PipeMutant(change: { end in
                   end.polling = { (reference, timeout) throws(PipeError) in
                       guard try reference.poll(timeout: timeout) else { return false }
                       _ = try? reference.recvBytes()
                       return true
                   }
               }))),
        Mutant("pipe-close-ignored", "close() does nothing, so the end keeps working",
               rejectedBy: ["PIPE-7": .fail], PipeSpec(PipeMutant(change: { end in end.closing = { _ in } }))),
        Mutant("pipe-write-raises-sigpipe",
               "restores SIGPIPE's default action after making the pipe, so write(2) to a closed peer kills the sender",
               rejectedBy: ["PIPE-8": .crashed],
               PipeSpec(PipeMutant(change: { _ in _ = signal(SIGPIPE, SIG_DFL) }))),
    ]
}
