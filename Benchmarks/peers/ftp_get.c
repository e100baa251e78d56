/* The download client of the FTP benchmarks, and their baseline: the same receiving loop fed by an
 * FTP server, or by a bare sendfile(2) over a socket.
 *
 *     ftp_get --port N --file NAME [--clients C] [--repeat R]
 *         C clients (1 by default), each on a thread of its own: log in anonymously to the FTP
 *         server on 127.0.0.1:N, TYPE I, then R times (1 by default) EPSV, RETR NAME, receive every
 *         byte into a 256 KiB buffer (dropped), wait for the 226. Prints the MiB/s of all the
 *         clients together, on one line: the bytes received over the time from when every client
 *         has logged in to the last 226.
 *
 *     ftp_get --raw PATH [--clients C] [--repeat R]
 *         The raw socket copy: C clients on 127.0.0.1, each fed the file PATH R times by a process
 *         of its own with sendfile(2), over a new connection each time (as an FTP download has its
 *         own data connection), received by the same loop. Prints the MiB/s likewise.
 *
 *     ftp_get --raw-stream PATH [--clients C] [--repeat R]
 *         As --raw, with one connection per client carrying its R copies back to back: no
 *         connection set up per file, and no new connection's small windows to grow.
 *
 * Any error: a message on stderr and exit status 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { BUFFER = 256 * 1024, MAX_CLIENTS = 1000 };

static int port;
static int repeat = 1;
static const char *name;
static const char *raw_path;
static int raw_stream; /* --raw-stream: one connection per client for all its copies */
static pthread_barrier_t start_together;

static void fail(const char *what) {
    fprintf(stderr, "ftp_get: %s: %s\n", what, errno ? strerror(errno) : "unexpected reply");
    exit(1);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int connect_to(int to_port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(to_port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || connect(s, (struct sockaddr *)&address, sizeof address) != 0) fail("connect");
    return s;
}

/* Reads one reply (its last line) into `line`; returns its code. */
static int reply(int control, char *line, size_t size) {
    for (;;) {
        size_t used = 0;
        while (used + 1 < size) {
            ssize_t got = recv(control, line + used, 1, 0);
            if (got <= 0) fail("the control connection closed");
            if (line[used++] == '\n') break;
        }
        line[used] = 0;
        if (used >= 4 && line[3] == ' ') return atoi(line);
    }
}

static int command(int control, const char *text, char *line, size_t size) {
    char out[512];
    int length = snprintf(out, sizeof out, "%s\r\n", text);
    if (send(control, out, length, MSG_NOSIGNAL) != length) fail("send");
    return reply(control, line, size);
}

static long long drain(int data) {
    static __thread char buffer[BUFFER];
    long long total = 0;
    for (;;) {
        ssize_t got = recv(data, buffer, sizeof buffer, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) fail("recv");
        if (got == 0) return total;
        total += got;
    }
}

/* One FTP download; the bytes received. */
static long long ftp_download(void) {
    char line[1024];
    int control = connect_to(port);
    if (reply(control, line, sizeof line) != 220) fail("greeting");
    if (command(control, "USER anonymous", line, sizeof line) != 331) fail("USER");
    if (command(control, "PASS bench@", line, sizeof line) != 230) fail("PASS");
    if (command(control, "TYPE I", line, sizeof line) != 200) fail("TYPE I");
    pthread_barrier_wait(&start_together);
    long long total = 0;
    for (int round = 0; round < repeat; round++) {
        if (command(control, "EPSV", line, sizeof line) != 229) fail("EPSV");
        char *bars = strstr(line, "|||");
        if (bars == NULL) fail("EPSV reply");
        int data = connect_to(atoi(bars + 3));
        char retr[600];
        snprintf(retr, sizeof retr, "RETR %s", name);
        if (command(control, retr, line, sizeof line) / 100 != 1) fail("RETR");
        total += drain(data);
        close(data);
        if (reply(control, line, sizeof line) != 226) fail("transfer");
    }
    command(control, "QUIT", line, sizeof line);
    close(control);
    return total;
}

/* The raw copies' listeners, one per client, each served by a feeder process of its own (forked
 * before any thread starts) that sendfile()s the whole file R times, as a server process would:
 * over a connection each time, or (--raw-stream) all over one. */
static int raw_listeners[MAX_CLIENTS];

static void send_whole(int connection, int file, off_t size) {
    off_t offset = 0;
    while (offset < size) {
        if (sendfile(connection, file, &offset, size - offset) < 0 && errno != EINTR) _exit(1);
    }
}

/* A connection per file, or one carrying every copy. */
static int connections(void) { return raw_stream ? 1 : repeat; }

static void feed(int listener) {
    int file = open(raw_path, O_RDONLY);
    if (file < 0) _exit(1);
    struct stat info;
    fstat(file, &info);
    for (int i = 0; i < connections(); i++) {
        int connection = accept(listener, NULL, NULL);
        if (connection < 0) _exit(1);
        for (int copy = 0; copy < repeat / connections(); copy++) send_whole(connection, file, info.st_size);
        close(connection);
    }
    _exit(0);
}

static void start_feeders(int clients) {
    for (int i = 0; i < clients; i++) {
        int listener = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in address = {.sin_family = AF_INET};
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0) fail("raw listener");
        pid_t pid = fork();
        if (pid < 0) fail("fork");
        if (pid == 0) feed(listener);
        raw_listeners[i] = listener;
    }
}

static long long raw_download(int index) {
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    if (getsockname(raw_listeners[index], (struct sockaddr *)&address, &length) != 0) fail("getsockname");
    pthread_barrier_wait(&start_together);
    long long total = 0;
    for (int i = 0; i < connections(); i++) {
        int data = connect_to(ntohs(address.sin_port));
        total += drain(data);
        close(data);
    }
    return total;
}

static long long received[MAX_CLIENTS];

static void *client(void *index) {
    int i = (int)(long)index;
    received[i] = raw_path ? raw_download(i) : ftp_download();
    return NULL;
}

int main(int argc, char **argv) {
    int clients = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--file") == 0) name = argv[i + 1];
        else if (strcmp(argv[i], "--raw") == 0) raw_path = argv[i + 1];
        else if (strcmp(argv[i], "--raw-stream") == 0) raw_path = argv[i + 1], raw_stream = 1;
        else if (strcmp(argv[i], "--clients") == 0) clients = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--repeat") == 0) repeat = atoi(argv[i + 1]);
    }
    if ((raw_path == NULL && (port <= 0 || name == NULL)) || clients < 1 || clients > MAX_CLIENTS || repeat < 1) {
        fprintf(stderr, "usage: ftp_get (--port N --file NAME | --raw PATH | --raw-stream PATH) [--clients C] [--repeat R]\n");
        return 1;
    }
    pthread_t threads[MAX_CLIENTS];
    if (raw_path) start_feeders(clients);
    /* The clients and this thread: the clock starts once every client is ready. */
    pthread_barrier_init(&start_together, NULL, clients + 1);
    for (int i = 0; i < clients; i++) pthread_create(&threads[i], NULL, client, (void *)(long)i);
    pthread_barrier_wait(&start_together);
    double start = now();
    long long total = 0;
    for (int i = 0; i < clients; i++) {
        pthread_join(threads[i], NULL);
        total += received[i];
    }
    printf("%.1f\n", total / (now() - start) / (1 << 20));
    if (raw_path) {
        for (int i = 0; i < clients; i++) wait(NULL);
    }
    return 0;
}
