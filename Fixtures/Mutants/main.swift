// The mutant runner: known-wrong implementations that the specs must reject.
MutantRunner.main(httpServerMutants + ftpServerMutants + forkMutants + exitMutants + waitMutants + orphanMutants + zombieMutants + processStateMutants + namespaceTreeMutants + processMutants + poolMutants + pipeMutants
                  + queueMutants + sharedMemoryMutants + semaphoreMutants + threadMutants + lockMutants + deadlockMutants
                  + gilMutants + socketMutants + selectorMutants + echoServerMutants + serverModelMutants + chatRoomMutants + coroutineMutants + hubMutants + asyncLoopMutants)
