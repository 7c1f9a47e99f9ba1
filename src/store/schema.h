#ifndef LA_SCHEMA_H
#define LA_SCHEMA_H
extern const char store_schema_sql[];
#endif
