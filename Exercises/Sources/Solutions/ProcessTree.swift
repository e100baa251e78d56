import Conformance

/// Parents and children: the tree of a process's descendants from `/proc/*/stat`, drawn as
/// `pstree -p` draws it (course: 父子进程, 查看进程树 pstree).
///
/// Rules TREE-1 ... TREE-5 (RULES.md). Grade just these: `make grade RULES=tree`.
public struct StudentProcessTrees: ProcessTreeAPI {
    public init() {}

    public func tree(of pid: ProcessID) throws(Errno) -> ProcessTree { notImplemented() }

    public func render(_ tree: ProcessTree) -> String { notImplemented() }
}
