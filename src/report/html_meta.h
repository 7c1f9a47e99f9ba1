/* The run's metadata that a page's header shows (both HTML pages). */
#ifndef LA_HTML_META_H
#define LA_HTML_META_H

struct cJSON;

/* {"tree", "commit", "rules", "version", "generated"}: the
 * commit is the tree's HEAD ("c447b7308b1f subject", with " (modified)"
 * when tracked files differ from it) when the tree is in a git work tree,
 * else null; a NULL argument gives null; "generated" is the time now, UTC.
 * Add the page's own keys to the object. */
struct cJSON *html_meta_json(const char *tree, const char *rules);

#endif
