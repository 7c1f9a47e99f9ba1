/* An inline asm that calls a function pointer given as an operand, with the
 * C call only in sizeof()/typeof() for type checking (Xen's x86
 * alternative_call()): recorded as a call through that pointer with the
 * type-checking call's arguments. An ordinary sizeof or typeof holds no call. */
#include "prelude.h"

struct iommu_ops {
	int (*quarantine_init)(struct pci_dev *pdev, bool scratch);
	void (*flush)(struct domain *d);
};
extern struct iommu_ops iommu_ops;

#define alt_call2(func, a1, a2) ({ \
	__auto_type v1_ = (a1); \
	__auto_type v2_ = (a2); \
	typeof(func(a1, a2)) ret_; \
	asm volatile ( "call *%c[addr](%%rip)" : "=a" (ret_), "+D" (v1_), "+S" (v2_) \
		       : [addr] "i" (&(func)), "g" (func) : "memory" ); \
	ret_; })
#define alt_vcall1(func, a1) ({ \
	__auto_type v1_ = (a1); \
	(void)sizeof(func(a1)); \
	asm volatile ( "call *%c[addr](%%rip)" : "+D" (v1_) : [addr] "i" (&(func)), "g" (func) \
		       : "memory" ); })

unsigned long size_of_call(int x);

int alt_call(struct pci_dev *pdev)
{
	int rc = alt_call2(iommu_ops.quarantine_init, pdev, false);
	alt_vcall1(iommu_ops.flush, pdev->domain);
	typeof(size_of_call(1)) n = sizeof(size_of_call(2));
	return rc + (int)n;
}

/*
 * check-ir-start
 * func alt_call($0 pdev)
 *  b0:
 *   assign v1_ = $0 @30
 *   assign v2_ = 0 @30
 *   addr iommu_ops.quarantine_init iommu_ops @30
 *   read iommu_ops.quarantine_init iommu_ops @30
 *   call asm#0 iommu_ops.quarantine_init($0, 0) [iommu_ops.quarantine_init] @30
 *   assign rc = ret_ @30
 *   read pci_dev.domain $0 @31
 *   assign v1_'2 = $0->domain @31
 *   addr iommu_ops.flush iommu_ops @31
 *   read iommu_ops.flush iommu_ops @31
 *   call asm#1 iommu_ops.flush($0->domain) [iommu_ops.flush] @31
 *   assign n = ? @32
 *   return rc + n @33
 *   -> exit
 * check-ir-end
 */
