// Markdown pieces shared by the report's sections.

/** A table: a header row, its rule, the rows, then a blank line. */
export function table(out: string[], header: string[], rows: string[][]): void {
  out.push(`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`);
  for (const row of rows) out.push(`| ${row.join(" | ")} |`);
  out.push("");
}
