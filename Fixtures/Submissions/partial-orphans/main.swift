// A partial submission whose only mistake is orphans: setChildSubreaper remembers the flag and never
// calls prctl. Graded: ORPHAN-1, ORPHAN-2 and ORPHAN-3 fail; every other rule passes.
import Conformance
import Coroutines
import Multiprocessing
import Networking
import Processes
import Threading

final class FlagOnly: OrphanAPI {
    private var enabled = false

    func setChildSubreaper(_ enabled: Bool) throws(Errno) { self.enabled = enabled }
    func isChildSubreaper() throws(Errno) -> Bool { enabled }
}

RuleRunner.main([ForkSpec(Fork()), ExitSpec(Exit()), WaitSpec(Wait()), OrphanSpec(FlagOnly()), ZombieSpec(Zombies()),
                 ProcessStatesSpec(ProcessStates()), ProcessTreeSpec(ProcessTrees()),
                 ProcessSpec(ProcessFactory()), PoolSpec(PoolFactory()),
                 PipeSpec(PipeFactory()), QueueSpec(QueueFactory()),
                 SharedMemorySpec(SharedMemoryFactory()), SemaphoreSpec(SemaphoreFactory()),
                 ThreadSpec(ThreadFactory()), EventSpec(EventFactory()), LockSpec(LockFactory()),
                 DeadlockSpec(DeadlockFactory()), GILSpec(GILFactory()),
                 SocketSpec(SocketFactory()), SelectorSpec(SelectorFactory()), EchoServerSpec(EchoServers()), ServerModelSpec(EchoServers()),
                 ChatRoomSpec(ChatRooms()), FTPServerSpec(FTPServers()), HTTPServerSpec(HTTPServers()), CoroutineSpec(CoroutineFactory()), HubSpec(HubFactory()), AsyncLoopSpec(AsyncLoopFactory())])
