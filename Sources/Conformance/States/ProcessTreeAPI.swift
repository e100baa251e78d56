/// Parents and children (course: 父子进程, 查看进程树 `pstree`): the tree of a process's
/// descendants, and the drawing `pstree -p` makes of it.
///
/// Rules TREE-1 ... TREE-5 in RULES.md; the reference is `Processes.ProcessTrees`.
public protocol ProcessTreeAPI {
    /// The process `pid` and every process descended from it that still exists (zombies included),
    /// each under its parent, children in pid order, from the parent fields of `/proc/*/stat`.
    ///
    /// Throws `ESRCH` when there is no process `pid`.
    func tree(of pid: ProcessID) throws(Errno) -> ProcessTree
    /// The tree drawn as `pstree -p -n -A -T -l PID` prints it, one line per leaf, each line ending
    /// with "\n":
    ///
    /// ```
    /// bash(10)-+-sleep(11)
    ///          |-make(12)---cc(14)
    ///          `-sleep(13)
    /// ```
    func render(_ tree: ProcessTree) -> String
}
