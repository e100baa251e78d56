#include "ServerSignals.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

static int stop_requested;
static int watched_listener = -1;
static int watched_client = -1;

static void stop_handler(int signal) {
    (void)signal;
    int saved = errno;
    __atomic_store_n(&stop_requested, 1, __ATOMIC_SEQ_CST);
    int listener = __atomic_load_n(&watched_listener, __ATOMIC_SEQ_CST);
    int client = __atomic_load_n(&watched_client, __ATOMIC_SEQ_CST);
    if (listener >= 0) shutdown(listener, SHUT_RDWR);
    if (client >= 0) shutdown(client, SHUT_RDWR);
    errno = saved;
}

int cs_stop_by_shutdown_install(void) {
    struct sigaction action = {0};
    action.sa_handler = stop_handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, NULL) != 0) return -1;
    if (sigaction(SIGTERM, &action, NULL) != 0) return -1;
    // A blocked signal mask is inherited across exec: a server started by a thread that blocks
    // SIGTERM would never see its stop.
    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    return sigprocmask(SIG_UNBLOCK, &stops, NULL);
}

void cs_stop_watch(int listener, int client) {
    __atomic_store_n(&watched_listener, listener, __ATOMIC_SEQ_CST);
    __atomic_store_n(&watched_client, client, __ATOMIC_SEQ_CST);
}

int cs_stop_requested(void) { return __atomic_load_n(&stop_requested, __ATOMIC_SEQ_CST); }

static pid_t *children;
static int children_count;
static int children_capacity;

static void child_handler(int signal) {
    (void)signal;
    int saved = errno;
    pid_t pid;
    while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
        for (int i = 0; i < children_count; i++) {
            if (children[i] == pid) {
                children[i] = children[--children_count];
                break;
            }
        }
    }
    errno = saved;
}

int cs_children_install(void) {
    struct sigaction action = {0};
    action.sa_handler = child_handler;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGCHLD, &action, NULL) != 0) return -1;
    // As for the stop signals: a SIGCHLD blocked since exec would leave every child a zombie.
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    return sigprocmask(SIG_UNBLOCK, &child, NULL);
}

int cs_children_add(pid_t pid) {
    if (children_count == children_capacity) {
        int capacity = children_capacity ? 2 * children_capacity : 64;
        pid_t *grown = realloc(children, (size_t)capacity * sizeof *children);
        if (grown == NULL) return -1;
        children = grown;
        children_capacity = capacity;
    }
    children[children_count++] = pid;
    return 0;
}

int cs_children_count(void) { return children_count; }

pid_t cs_children_at(int index) { return children[index]; }
