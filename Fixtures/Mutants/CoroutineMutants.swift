import Conformance
import Coroutines
import Foundation

/// A coroutine that is the reference `Coroutines.Coroutine` except for the hooks given.
final class MutantCoroutine: CoroutineObject {
    let reference: Coroutine
    var switching: ((MutantCoroutine, Any?) throws -> Any?)?
    var throwing: ((MutantCoroutine, any Error) throws -> Any?)?
    var settingParent: ((MutantCoroutine, MutantCoroutine) throws(CoroutineError) -> Void)?
    /// The coroutine that switched to this one last.
    var switcher: MutantCoroutine?

    /// The mutant of each reference coroutine, so that `parent` and `current()` answer with mutants.
    nonisolated(unsafe) private static var mutants: [ObjectIdentifier: MutantCoroutine] = [:]

    private init(_ reference: Coroutine) { self.reference = reference }

    /// The mutant wrapping `reference`, made on first sight (a thread's main coroutine).
    static func of(_ reference: Coroutine) -> MutantCoroutine {
        if let known = mutants[ObjectIdentifier(reference)] { return known }
        let mutant = MutantCoroutine(reference)
        mutants[ObjectIdentifier(reference)] = mutant
        return mutant
    }

    func `switch`(_ value: Any?) throws -> Any? {
        switcher = MutantCoroutine.of(Coroutine.current)
        if let switching { return try switching(self, value) }
        return try reference.switch(value)
    }
    func `throw`(_ error: any Error) throws -> Any? {
        if let throwing { return try throwing(self, error) }
        return try reference.throw(error)
    }
    var isDead: Bool { reference.isDead }
    var isActive: Bool { reference.isActive }
    var parent: MutantCoroutine? { reference.parent.map(MutantCoroutine.of) }
    func setParent(_ parent: MutantCoroutine) throws(CoroutineError) {
        if let settingParent { try settingParent(self, parent) } else { try reference.setParent(parent.reference) }
    }
}

/// Makes `MutantCoroutine`s: `function` may wrap the coroutine's function, `change` sets the hooks.
struct CoroutineMutant: CoroutineAPI {
    var function: (@escaping () -> MutantCoroutine, @escaping (Any?) throws -> Any?) -> (Any?) throws -> Any? = { $1 }
    var change: (MutantCoroutine) -> Void = { _ in }

    func coroutine(stackSize: Int?, _ body: @escaping (Any?) throws -> Any?) -> MutantCoroutine {
        var made: MutantCoroutine?
        let reference = Coroutines.Coroutine(stackSize: stackSize ?? Coroutines.Coroutine.defaultStackSize, function({ made! }, body))
        let mutant = MutantCoroutine.of(reference)
        made = mutant
        change(mutant)
        return mutant
    }

    func current() -> MutantCoroutine { MutantCoroutine.of(Coroutines.Coroutine.current) }
}

/// A switch to a dead coroutine refused (greenlet goes to the parent).
struct DeadCoroutineError: Error {}

/// Makes the page below the calling coroutine's stack accessible: a stack without a guard page.
private func removeGuardPage() {
    var local = 0
    let address = UInt(bitPattern: withUnsafeMutablePointer(to: &local) { $0 })
    let maps = String(decoding: FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
    for line in maps.split(separator: "\n") {
        let bounds = line.split(separator: " ")[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
        if bounds.count == 2, (bounds[0]..<bounds[1]).contains(address) {
            let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
            mprotect(UnsafeMutableRawPointer(bitPattern: bounds[0] - page), Int(page), PROT_READ | PROT_WRITE)
        }
    }
}

var coroutineMutants: [Mutant] { [
    Mutant("coroutine-runs-when-made", "the function runs as soon as the coroutine is made, before any switch",
           rejectedBy: ["COROUTINE-1": .fail],
           CoroutineSpec(CoroutineMutant(function: { _, body in
               _ = try? body(nil)
               return body
           }))),
    Mutant("coroutine-first-value-lost", "the first switch starts the function with nil instead of the value sent",
           rejectedBy: ["COROUTINE-1": .fail, "COROUTINE-2": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.switching = { coroutine, value in try coroutine.reference.switch(coroutine.isActive ? value : nil) }
           }))),
    Mutant("coroutine-switch-echoes", "switch returns the value it sent instead of the value sent back",
           rejectedBy: ["COROUTINE-2": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.switching = { coroutine, value in
                   _ = try coroutine.reference.switch(value)
                   return value
               }
           }))),
    Mutant("coroutine-result-to-switcher", "a coroutine's result goes to the coroutine that switched to it last, not to its parent",
           rejectedBy: ["COROUTINE-3": .fail],
           CoroutineSpec(CoroutineMutant(function: { this, body in
               { value in
                   let result = try body(value)
                   if let switcher = this().switcher { try? this().reference.setParent(switcher.reference) }
                   return result
               }
           }))),
    Mutant("coroutine-dead-switch-refused", "a switch to a dead coroutine throws instead of going to its parent",
           rejectedBy: ["COROUTINE-3": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.switching = { coroutine, value in
                   if coroutine.isDead { throw DeadCoroutineError() }
                   return try coroutine.reference.switch(value)
               }
           }))),
    Mutant("coroutine-error-swallowed", "an error escaping the function ends the coroutine with nil instead of reaching its parent",
           rejectedBy: ["COROUTINE-4": .fail, "COROUTINE-5": .fail],
           CoroutineSpec(CoroutineMutant(function: { _, body in
               { value in
                   do { return try body(value) } catch let exit as CoroutineExit { throw exit } catch { return nil }
               }
           }))),
    Mutant("coroutine-exit-raised", "CoroutineExit ending a coroutine is thrown in the parent instead of returned as a value",
           rejectedBy: ["COROUTINE-5": .fail, "COROUTINE-6": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.throwing = { coroutine, error in
                   let value = try coroutine.reference.throw(error)
                   if let exit = value as? CoroutineExit { throw exit }
                   return value
               }
           }))),
    Mutant("coroutine-throw-starts-it", "throw into an unstarted coroutine first starts it, so its function runs",
           rejectedBy: ["COROUTINE-6": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.throwing = { coroutine, error in
                   if !coroutine.isActive && !coroutine.isDead { _ = try coroutine.reference.switch(nil) }
                   return try coroutine.reference.throw(error)
               }
           }))),
    Mutant("coroutine-parent-cycle-allowed", "setParent does not look for a cycle and ignores the refusal",
           rejectedBy: ["COROUTINE-7": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.settingParent = { coroutine, parent in try? coroutine.reference.setParent(parent.reference) }
           }))),
    Mutant("coroutine-other-thread-ignored", "a switch from another thread returns nil instead of throwing .otherThread",
           rejectedBy: ["COROUTINE-7": .fail],
           CoroutineSpec(CoroutineMutant(change: { coroutine in
               coroutine.switching = { coroutine, value in
                   do { return try coroutine.reference.switch(value) } catch CoroutineError.otherThread { return nil }
               }
           }))),
    Mutant("coroutine-thread-each", "each coroutine is a thread of its own, handed control by semaphores",
           rejectedBy: ["COROUTINE-1": .fail, "COROUTINE-8": .fail],
           CoroutineSpec(ThreadPerCoroutine())),
    Mutant("coroutine-stack-unguarded", "the stack has no guard page below it, so an overflow runs on into the memory beyond",
           rejectedBy: ["COROUTINE-9": .fail],
           CoroutineSpec(CoroutineMutant(function: { _, body in
               { value in
                   removeGuardPage()
                   return try body(value)
               }
           }))),
] }

/// Coroutines made of threads: each function runs on a thread of its own, and a switch signals the
/// target's semaphore and waits on its own. One runs at a time, as with greenlet, but every
/// coroutine costs a thread and runs on it. (Sendable: the semaphores order every access.)
final class ThreadCoroutine: CoroutineObject, @unchecked Sendable {
    nonisolated(unsafe) private static var running: ThreadCoroutine?
    private let body: ((Any?) throws -> Any?)?
    private let turn = DispatchSemaphore(value: 0)
    private var inbox: Result<Any?, any Error> = .success(nil)
    private(set) var parent: ThreadCoroutine?
    private var isStarted: Bool
    private(set) var isDead = false

    init(parent: ThreadCoroutine?, _ body: ((Any?) throws -> Any?)?) {
        self.parent = parent
        self.body = body
        isStarted = body == nil
    }

    /// The running coroutine; at first the main one.
    static var current: ThreadCoroutine {
        if let running { return running }
        let main = ThreadCoroutine(parent: nil, nil)
        running = main
        return main
    }

    var isActive: Bool { isStarted && !isDead }

    func `switch`(_ value: Any?) throws -> Any? { try hand(.success(value)) }

    func `throw`(_ error: any Error) throws -> Any? {
        if !isStarted && !isDead {
            isDead = true
            return try parent!.hand(error is CoroutineExit ? .success(error) : .failure(error))
        }
        return try hand(.failure(error))
    }

    func setParent(_ parent: ThreadCoroutine) throws(CoroutineError) {
        var ancestor: ThreadCoroutine? = parent
        while let link = ancestor {
            if link === self { throw .cyclicParent }
            ancestor = link.parent
        }
        self.parent = parent
    }

    /// Gives the turn and `message` to this coroutine (its first live parent when dead), and waits
    /// for the caller's next turn.
    private func hand(_ message: Result<Any?, any Error>) throws -> Any? {
        var target = self
        while target.isDead { target = target.parent! }
        let me = ThreadCoroutine.current
        if target === me { return try message.get() }
        target.inbox = message
        ThreadCoroutine.running = target
        if target.isStarted {
            target.turn.signal()
        } else {
            target.isStarted = true
            let started = target
            Thread.detachNewThread { started.run() }
        }
        me.turn.wait()
        return try me.inbox.get()
    }

    private func run() {
        var result = Result { try body!(try inbox.get()) }
        if case .failure(let error) = result, error is CoroutineExit { result = .success(error) }
        isDead = true
        var target = parent!
        while target.isDead { target = target.parent! }
        target.inbox = result
        ThreadCoroutine.running = target
        target.turn.signal()
    }
}

struct ThreadPerCoroutine: CoroutineAPI {
    func coroutine(stackSize: Int?, _ body: @escaping (Any?) throws -> Any?) -> ThreadCoroutine {
        ThreadCoroutine(parent: ThreadCoroutine.current, body)
    }

    func current() -> ThreadCoroutine { ThreadCoroutine.current }
}
