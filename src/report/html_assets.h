/* The HTML pages' template, style and scripts: the files of
 * src/report/html/, compiled in by cmake/embed.cmake (html_assets.c is
 * generated in the build directory). */
#ifndef LA_HTML_ASSETS_H
#define LA_HTML_ASSETS_H

extern const char la_html_page[];       /* page.html: the skeleton, with <!--la:...--> markers */
extern const char la_html_css[];        /* page.css */
extern const char la_html_common_js[];  /* common.js: what both pages share */
extern const char la_html_report_js[];  /* report.js: `lockaudit report` */
extern const char la_html_audit_js[];   /* audit.js: `lockaudit audit --format html` */

#endif
