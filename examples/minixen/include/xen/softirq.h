/* Deferred work run from idle loops and long-running operations. */
#ifndef MINIXEN_SOFTIRQ_H
#define MINIXEN_SOFTIRQ_H

enum {
    TIMER_SOFTIRQ,
    PCI_POLL_SOFTIRQ,
    SCHEDULE_SOFTIRQ,
    NR_SOFTIRQS
};

typedef void (*softirq_handler)(void);

void open_softirq(int nr, softirq_handler handler);
void raise_softirq(unsigned int nr);
void process_pending_softirqs(void);
void softirq_init(void);

#endif /* MINIXEN_SOFTIRQ_H */
