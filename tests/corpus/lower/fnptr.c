/* Function-pointer stores: designated and positional initialisers of ops
 * tables, arrays of handlers, assignments (also with GNU ?:), function
 * arguments flowing into a parameter that is stored, and indirect calls. */
#include "prelude.h"

typedef unsigned int read_t(const struct pci_dev *pdev, unsigned int reg);

struct reg_ops {
	read_t *read;
	void (*write)(struct pci_dev *pdev, unsigned int reg, unsigned int val);
};

unsigned int hw_read(const struct pci_dev *pdev, unsigned int reg);
unsigned int ignored_read(const struct pci_dev *pdev, unsigned int reg);
unsigned int bar_read(const struct pci_dev *pdev, unsigned int reg);
void bar_write(struct pci_dev *pdev, unsigned int reg, unsigned int val);

static const struct reg_ops bar_ops = { .read = bar_read, .write = bar_write };
static const struct reg_ops hw_ops = { hw_read, 0 };
static read_t *const readers[] = { [0] = hw_read, [1] = bar_read };

struct reg_ops *new_ops(void);

void add_register(read_t *handler)
{
	struct reg_ops *r = new_ops();
	r->read = handler ?: ignored_read;
}

void init_regs(void)
{
	add_register(hw_read);
}

/* a callback parameter stored through a local designated initialiser */
void for_each_dev(void (*cb)(struct pci_dev *pdev, unsigned int reg, unsigned int val))
{
	struct reg_ops ctxt = { .write = cb };
	ctxt.write(0, 0, 0);
}

unsigned int dispatch(struct pci_dev *pdev, struct reg_ops *r, unsigned int reg)
{
	unsigned int (*first)(const struct pci_dev *, unsigned int) = readers[0];
	return r->read(pdev, reg) + first(pdev, reg) + (*bar_ops.read)(pdev, reg) + hw_ops.read(pdev, reg);
}

/*
 * check-ir-start
 * func add_register($0 handler)
 *  b0:
 *   call#0 new_ops() @26
 *   assign r = new_ops() @26
 *   write reg_ops.read r @27
 *   assign r->read = ? @27
 *   -> exit
 * func init_regs()
 *  b0:
 *   call#0 add_register(hw_read) @32
 *   -> exit
 * func for_each_dev($0 cb)
 *  b0:
 *   assign ctxt = ? @38
 *   assign ctxt.write = $0 @38
 *   read reg_ops.write ctxt @39
 *   call*#0 ctxt.write(0, 0, 0) [reg_ops.write] @39
 *   -> exit
 * func dispatch($0 pdev, $1 r, $2 reg)
 *  b0:
 *   assign first = readers[0] @44
 *   read reg_ops.read $1 @45
 *   call*#0 $1->read($0, $2) [reg_ops.read] @45
 *   call*#1 first($0, $2) [local:c:@F@dispatch:first] @45
 *   read reg_ops.read bar_ops @45
 *   call*#2 (*bar_ops.read)($0, $2) [reg_ops.read] @45
 *   read reg_ops.read hw_ops @45
 *   call*#3 hw_ops.read($0, $2) [reg_ops.read] @45
 *   return $1->read($0, $2) + first($0, $2) + (*bar_ops.read)($0, $2) + hw_ops.read($0, $2) @45
 *   -> exit
 * flow reg_ops.read <- key param:c:@F@add_register#0 @27
 * flow reg_ops.read <- func ignored_read @27
 * flow param:c:@F@add_register#0 <- func hw_read @32
 * flow reg_ops.write <- key param:c:@F@for_each_dev#0 @38
 * flow local:c:@F@dispatch:first <- key var:c:fnptr.c@readers @44
 * flow reg_ops.read <- func bar_read @18
 * flow reg_ops.write <- func bar_write @18
 * flow reg_ops.read <- func hw_read @19
 * flow var:c:fnptr.c@readers <- func hw_read @20
 * flow var:c:fnptr.c@readers <- func bar_read @20
 * check-ir-end
 */
