// A generated section of a doc: the text between two marker lines, rewritten by the command that measured it.

/** The doc with the section between `begin` and `end` replaced by `section` (which carries both markers); appended when absent. */
export function withSection(doc: string, begin: string, end: string, section: string): string {
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  if (start < 0 || stop < start) return `${doc.trimEnd()}\n\n${section}\n`;
  return `${doc.slice(0, start)}${section}${doc.slice(stop + end.length)}`;
}

/** The section the doc holds now, markers included, or undefined. */
export function currentSection(doc: string, begin: string, end: string): string | undefined {
  const start = doc.indexOf(begin);
  const stop = doc.indexOf(end);
  return start < 0 || stop < start ? undefined : doc.slice(start, stop + end.length);
}
