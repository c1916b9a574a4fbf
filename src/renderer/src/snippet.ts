// Search snippets come from SQLite FTS with the matched words wrapped in [ and ]; this splits
// them into plain and matched runs so the UI can mark matches without parsing any HTML.
export interface SnippetRun {
  text: string;
  match: boolean;
}

export function splitSnippet(snippet: string): SnippetRun[] {
  const runs: SnippetRun[] = [];
  const re = /\[([^[\]]*)\]/g;
  let last = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > last) runs.push({ text: snippet.slice(last, m.index), match: false });
    if (m[1]) runs.push({ text: m[1], match: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) runs.push({ text: snippet.slice(last), match: false });
  return runs;
}
