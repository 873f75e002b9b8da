// The designer's shortcuts are handled by the diagram on the server; this only keeps the browser from acting on them
// too while the canvas has the focus (Ctrl+A would select the whole page's text, Ctrl+Z/Y/C/V mean nothing there).
const KEYS = new Set(["a", "c", "v", "y", "z"]);

export function guardShortcuts(host) {
  const handler = event => {
    if (!(event.ctrlKey || event.metaKey) || !KEYS.has(event.key.toLowerCase())) return;
    if (event.target.closest("input, textarea, [contenteditable=true]")) return;
    event.preventDefault();
  };
  host.addEventListener("keydown", handler);
  return { dispose: () => host.removeEventListener("keydown", handler) };
}
