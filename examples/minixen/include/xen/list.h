/* Minimal intrusive doubly linked list. */
#ifndef MINIXEN_LIST_H
#define MINIXEN_LIST_H

#include <xen/lib.h>

struct list_head {
    struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)  { &(name), &(name) }
#define LIST_HEAD(name)       struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
    h->next = h;
    h->prev = h;
}

static inline void list_add(struct list_head *entry, struct list_head *head)
{
    entry->next = head->next;
    entry->prev = head;
    head->next->prev = entry;
    head->next = entry;
}

static inline void list_del(struct list_head *entry)
{
    entry->prev->next = entry->next;
    entry->next->prev = entry->prev;
    entry->next = entry->prev = NULL;
}

static inline bool list_empty(const struct list_head *head)
{
    return head->next == head;
}

#define list_entry(ptr, type, member)  container_of(ptr, type, member)

#define list_for_each_entry(pos, head, member)                          \
    for ( (pos) = list_entry((head)->next, typeof(*(pos)), member);     \
          &(pos)->member != (head);                                     \
          (pos) = list_entry((pos)->member.next, typeof(*(pos)), member) )

#endif /* MINIXEN_LIST_H */
