// One line per concept: the spec and the type that implements it. A concept left out here is
// graded as "not implemented".
import Conformance
import Solutions

RuleRunner.main([
    ForkSpec(StudentFork()),
    ExitSpec(StudentExit()),
    WaitSpec(StudentWait()),
    OrphanSpec(StudentOrphans()),
    ZombieSpec(StudentZombies()),
    ProcessStatesSpec(StudentProcessStates()),
    ProcessTreeSpec(StudentProcessTrees()),
    ProcessSpec(StudentProcesses()),
    PoolSpec(StudentPools()),
    PipeSpec(StudentPipes()),
    QueueSpec(StudentQueues()),
    SharedMemorySpec(StudentSharedMemory()),
    SemaphoreSpec(StudentSemaphores()),
    ThreadSpec(StudentThreads()),
    EventSpec(StudentEvents()),
    LockSpec(StudentLocks()),
    DeadlockSpec(StudentDeadlocks()),
    GILSpec(StudentGIL()),
    SocketSpec(StudentSockets()),
    SelectorSpec(StudentSelectors()),
    EchoServerSpec(StudentEchoServers()),
    ServerModelSpec(StudentEchoServers()),
    ChatRoomSpec(StudentChatRooms()),
    FTPServerSpec(StudentFTPServer()),
    HTTPServerSpec(StudentHTTPServer()),
    CoroutineSpec(StudentCoroutines()),
    HubSpec(StudentHub()),
    AsyncLoopSpec(StudentAsyncLoops()),
])
