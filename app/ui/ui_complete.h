/*
 * ui_complete.h - Tab completion on the ':' command line: command names,
 * and after :e, :open, :w, :wq, :source and :export FMT, file paths (and
 * the export format names). Repeated Tab cycles through the candidates;
 * when there are several they are listed after the line.
 */
#ifndef TTLX_UI_COMPLETE_H
#define TTLX_UI_COMPLETE_H

#include "ui/state.h"

/* Tab on the command line: completes u->cmd, or shows the next candidate.
 * command_name(i) gives the i-th ':' command, NULL past the end. */
void ui_complete(ui_t *u, const char *(*command_name)(size_t i));
/* The candidates as one line ("e  export  open"), empty unless several. */
const char *ui_complete_list(const ui_t *u, char *buf, size_t n);

#endif
