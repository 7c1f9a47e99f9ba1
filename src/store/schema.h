#ifndef LA_SCHEMA_H
#define LA_SCHEMA_H
extern const char store_schema_sql[];
/* Results of the checks: dropped and created again by every analysis. */
extern const char store_results_schema_sql[];
/* The suppression table alone (added by schema 3). */
extern const char store_suppression_schema_sql[];
#endif
