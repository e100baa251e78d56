// A correct submission: the reference implementation of every concept. Graded: full marks.
import Conformance
import Coroutines
import Multiprocessing
import Networking
import Processes
import Threading

RuleRunner.main([ForkSpec(Fork()), ExitSpec(Exit()), WaitSpec(Wait()), OrphanSpec(Orphans()), ZombieSpec(Zombies()),
                 ProcessStatesSpec(ProcessStates()), ProcessTreeSpec(ProcessTrees()),
                 ProcessSpec(ProcessFactory()), PoolSpec(PoolFactory()),
                 PipeSpec(PipeFactory()), QueueSpec(QueueFactory()),
                 SharedMemorySpec(SharedMemoryFactory()), SemaphoreSpec(SemaphoreFactory()),
                 ThreadSpec(ThreadFactory()), EventSpec(EventFactory()), LockSpec(LockFactory()),
                 DeadlockSpec(DeadlockFactory()), GILSpec(GILFactory()),
                 SocketSpec(SocketFactory()), SelectorSpec(SelectorFactory()), EchoServerSpec(EchoServers()), ServerModelSpec(EchoServers()),
                 ChatRoomSpec(ChatRooms()), FTPServerSpec(FTPServers()), HTTPServerSpec(HTTPServers()), CoroutineSpec(CoroutineFactory()), HubSpec(HubFactory()), AsyncLoopSpec(AsyncLoopFactory())])
