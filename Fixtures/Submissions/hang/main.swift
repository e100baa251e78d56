// A submission that hangs in one rule. Graded: EXIT-4 times out (exit(message:) spins forever in
// the child the check forks); every other rule passes.
import Conformance
import Coroutines
import Multiprocessing
import Networking
import Processes
import Threading

struct SpinningExit: ExitAPI {
    func exitImmediately(_ status: CInt) -> Never { Exit().exitImmediately(status) }
    func exit(_ status: CInt) -> Never { Exit().exit(status) }
    func exit(message: String) -> Never {
        while true {}
    }
}

RuleRunner.main([ForkSpec(Fork()), ExitSpec(SpinningExit()), WaitSpec(Wait()), OrphanSpec(Orphans()), ZombieSpec(Zombies()),
                 ProcessStatesSpec(ProcessStates()), ProcessTreeSpec(ProcessTrees()),
                 ProcessSpec(ProcessFactory()), PoolSpec(PoolFactory()),
                 PipeSpec(PipeFactory()), QueueSpec(QueueFactory()),
                 SharedMemorySpec(SharedMemoryFactory()), SemaphoreSpec(SemaphoreFactory()),
                 ThreadSpec(ThreadFactory()), EventSpec(EventFactory()), LockSpec(LockFactory()),
                 DeadlockSpec(DeadlockFactory()), GILSpec(GILFactory()),
                 SocketSpec(SocketFactory()), SelectorSpec(SelectorFactory()), EchoServerSpec(EchoServers()), ServerModelSpec(EchoServers()),
                 ChatRoomSpec(ChatRooms()), FTPServerSpec(FTPServers()), HTTPServerSpec(HTTPServers()), CoroutineSpec(CoroutineFactory()), HubSpec(HubFactory()), AsyncLoopSpec(AsyncLoopFactory())])
