/* frames: see frames.h. */
#include "frames.h"

#include <stdbool.h>

int frames_recv(void *sock, zmq_msg_t *const *fr, int max)
{
    for (int i = 0; i < max; i++)
        zmq_msg_init(fr[i]);
    zmq_msg_t extra; /* every frame past max lands here; a receive frees what it held */
    zmq_msg_init(&extra);
    int n = 0;
    for (bool more = true; more; n++) {
        zmq_msg_t *m = n < max ? fr[n] : &extra;
        if (zmq_msg_recv(m, sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&extra);
            return n == 0 ? 0 : -1;
        }
        more = zmq_msg_more(m);
    }
    zmq_msg_close(&extra);
    return n;
}

void frames_close(zmq_msg_t *const *fr, int max)
{
    for (int i = 0; i < max; i++)
        zmq_msg_close(fr[i]);
}
