/* Rules files (rules/NAME.json, docs/rules.md). This first version knows the
 * kinds the frontend needs; later kinds are added here, one table entry each. */
#ifndef LA_RULES_H
#define LA_RULES_H

typedef struct rules {
	char *path;
	char *description;
	char **assert_macros;     /* macros whose argument is a contract */
	int nassert_macros;
} rules;

/* Errors name the file and the JSON path: "rules/xen-pci.json: $.assert_macros[2]:
 * expected a string". An unknown key is an error. */
int rules_load(const char *path, rules **out);
void rules_free(rules *r);

#endif
