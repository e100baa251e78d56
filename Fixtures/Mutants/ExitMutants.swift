import Conformance
import Glibc
import Processes

/// An exit implementation that is the reference except for the closures given.
struct ExitMutant: ExitAPI {
    var immediately: (CInt) -> Never = { Exit().exitImmediately($0) }
    var normally: (CInt) -> Never = { Exit().exit($0) }
    var withMessage: (String) -> Never = { Exit().exit(message: $0) }

    func exitImmediately(_ status: CInt) -> Never { immediately(status) }
    func exit(_ status: CInt) -> Never { normally(status) }
    func exit(message: String) -> Never { withMessage(message) }
}

/// Computed, so no mutable global is shared.
var exitMutants: [Mutant] {
    [
        Mutant("exit-immediately-boolean-status", "treats the status as success or failure (0 or 1)",
               rejectedBy: ["EXIT-1": .fail], ExitSpec(ExitMutant(immediately: { _exit($0 == 0 ? 0 : 1) }))),
        Mutant("exit-immediately-via-exit", "calls exit(3), running handlers and flushing buffers",
               rejectedBy: ["EXIT-2": .fail], ExitSpec(ExitMutant(immediately: { Glibc.exit($0) }))),
        Mutant("exit-skips-flush", "ends with _exit(2), losing handlers and buffered output",
               rejectedBy: ["EXIT-3": .fail], ExitSpec(ExitMutant(normally: { _exit($0) }))),
        Mutant("exit-message-on-stdout", "prints the message on stdout", rejectedBy: ["EXIT-4": .fail],
               ExitSpec(ExitMutant(withMessage: { message in
                   print(message)
                   Glibc.exit(1)
               }))),
        Mutant("exit-clamps-status", "clamps the status into 0...255 instead of keeping its low 8 bits",
               rejectedBy: ["EXIT-5": .fail], ExitSpec(ExitMutant(immediately: { _exit(min(max($0, 0), 255)) }))),
    ]
}
