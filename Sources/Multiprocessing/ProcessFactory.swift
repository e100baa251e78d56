import Conformance

/// The reference `ProcessAPI`: makes `Process` objects.
public struct ProcessFactory: ProcessAPI {
    public init() {}

    public func process<Arguments>(
        name: String?, target: @escaping (Arguments) throws -> Void, args: Arguments
    ) -> Process {
        Process(name: name, target: target, args: args)
    }
}
