/* frames: see frames.h. */
#include "frames.h"

#include <stdbool.h>

int frames_recv(void *sock, zmq_msg_t *const *fr, int max)
{
    for (int i = 0; i < max; i++)
        zmq_msg_init(fr[i]);
    int n = 0;
    bool more = true;
    while (more) {
        zmq_msg_t extra, *m = n < max ? fr[n] : &extra;
        if (m == &extra)
            zmq_msg_init(&extra);
        if (zmq_msg_recv(m, sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            if (m == &extra)
                zmq_msg_close(&extra);
            return n == 0 ? 0 : -1;
        }
        more = zmq_msg_more(m);
        if (m == &extra)
            zmq_msg_close(&extra);
        n++;
    }
    return n;
}

void frames_close(zmq_msg_t *const *fr, int max)
{
    for (int i = 0; i < max; i++)
        zmq_msg_close(fr[i]);
}
