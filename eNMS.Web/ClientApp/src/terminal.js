// Web SSH terminal: xterm.js in the page, the SSH session on the server (the credential never reaches the browser).
// The Blazor component calls open() and write(); keystrokes, pastes and resizes go back through the .NET reference.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import "@xterm/xterm/css/xterm.css";

const terminals = new Map();

function ensureStylesheet() {
  // esbuild emits the imported CSS next to this module as terminal.css.
  if (document.querySelector("link[data-enms-terminal]")) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("./terminal.css", import.meta.url).href;
  link.dataset.enmsTerminal = "";
  document.head.appendChild(link);
}

export function open(element, dotnet) {
  ensureStylesheet();
  const term = new Terminal({ cursorBlink: true, convertEol: false, scrollback: 5000, fontFamily: "monospace", fontSize: 14 });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(element);
  fit.fit();
  term.onData(data => dotnet.invokeMethodAsync("Input", data));
  term.onResize(size => dotnet.invokeMethodAsync("Resize", size.cols, size.rows));
  // Copy: Ctrl+Shift+C copies the selection; paste (Ctrl+Shift+V, Ctrl+V, middle click, menu) arrives through onData.
  term.attachCustomKeyEventHandler(event => {
    if (event.type === "keydown" && event.ctrlKey && event.shiftKey && event.code === "KeyC") {
      if (term.hasSelection()) navigator.clipboard?.writeText(term.getSelection());
      return false;
    }
    return true;
  });
  const observer = new ResizeObserver(() => fit.fit());
  observer.observe(element);
  const id = crypto.randomUUID();
  terminals.set(id, { term, observer });
  term.focus();
  return { id, cols: term.cols, rows: term.rows };
}

export function write(id, text) {
  terminals.get(id)?.term.write(text);
}

export function close(id) {
  const entry = terminals.get(id);
  if (!entry) return;
  entry.observer.disconnect();
  entry.term.dispose();
  terminals.delete(id);
}
