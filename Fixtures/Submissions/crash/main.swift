// A submission that crashes in four rules, three ways. Graded: WAIT-8 crashes with a Swift trap
// (decode), ORPHAN-3 with SIGSEGV (isChildSubreaper), ZOMBIE-5 and ZOMBIE-6 with SIGABRT (signal);
// every other rule passes.
import Conformance
import Coroutines
import Glibc
import Multiprocessing
import Networking
import Processes
import Threading

struct TrappingWait: WaitAPI {
    func wait() throws(Errno) -> ChildStatus { try Wait().wait() }
    func waitpid(_ pid: ProcessID, options: WaitOptions) throws(Errno) -> ChildStatus? {
        try Wait().waitpid(pid, options: options)
    }
    func decode(_ rawStatus: CInt) -> WaitStatus { fatalError("decode crashed on \(rawStatus)") }
}

struct SegfaultingOrphans: OrphanAPI {
    func setChildSubreaper(_ enabled: Bool) throws(Errno) { try Orphans().setChildSubreaper(enabled) }
    func isChildSubreaper() throws(Errno) -> Bool {
        raise(SIGSEGV)  // what dereferencing a null pointer in C ends with
        return false
    }
}

struct AbortingZombies: ZombieAPI {
    func state(of pid: ProcessID) throws(Errno) -> ProcessState { try Zombies().state(of: pid) }
    func doubleFork(_ work: () -> Void) throws(Errno) { try Zombies().doubleFork(work) }
    func signal(_ signal: Signal, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition { abort() }
}

RuleRunner.main([ForkSpec(Fork()), ExitSpec(Exit()), WaitSpec(TrappingWait()), OrphanSpec(SegfaultingOrphans()),
                 ZombieSpec(AbortingZombies()),
                 ProcessStatesSpec(ProcessStates()), ProcessTreeSpec(ProcessTrees()),
                 ProcessSpec(ProcessFactory()), PoolSpec(PoolFactory()),
                 PipeSpec(PipeFactory()), QueueSpec(QueueFactory()),
                 SharedMemorySpec(SharedMemoryFactory()), SemaphoreSpec(SemaphoreFactory()),
                 ThreadSpec(ThreadFactory()), EventSpec(EventFactory()), LockSpec(LockFactory()),
                 DeadlockSpec(DeadlockFactory()), GILSpec(GILFactory()),
                 SocketSpec(SocketFactory()), SelectorSpec(SelectorFactory()), EchoServerSpec(EchoServers()), ServerModelSpec(EchoServers()),
                 ChatRoomSpec(ChatRooms()), FTPServerSpec(FTPServers()), HTTPServerSpec(HTTPServers()), CoroutineSpec(CoroutineFactory()), HubSpec(HubFactory()), AsyncLoopSpec(AsyncLoopFactory())])
