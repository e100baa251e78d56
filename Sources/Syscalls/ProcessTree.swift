/// A process and its descendants, as `pstree -p` draws them.
public struct ProcessTree: Hashable, Codable, Sendable {
    /// The process id.
    public var pid: ProcessID
    /// The command name (`comm`).
    public var name: String
    /// Its children, in pid order (`pstree -n`).
    public var children: [ProcessTree]

    public init(pid: ProcessID, name: String, children: [ProcessTree] = []) {
        self.pid = pid
        self.name = name
        self.children = children
    }

    /// Every pid in the tree, this one first, then each child's subtree in order.
    public var pids: [ProcessID] { [pid] + children.flatMap(\.pids) }
}

extension ProcessTree: CustomStringConvertible {
    /// `name(pid)` and the children in brackets, e.g. `bash(10) [sleep(11), make(12) [cc(14)]]`.
    public var description: String {
        "\(name)(\(pid))" + (children.isEmpty ? "" : " [" + children.map(\.description).joined(separator: ", ") + "]")
    }
}
