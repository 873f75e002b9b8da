// The force-directed topology: devices and links laid out by d3-force in a worker (bounded ticks), drawn on a canvas;
// drag a device to pin it, zoom for labels, filter by pool. Selection comes from the shared NetworkCanvas.
import { NetworkCanvas, STATUS_COLORS, SELECTED_COLOR, palette, drawLinks, drawInterfaceNames } from "./lib/network-canvas.js";

const LABEL_ZOOM = 1.4; // names appear past this scale…
const MAX_LABELS = 400; // …for at most this many devices on screen
const INTERFACE_ZOOM = 2.5; // interface names at the ends of links appear past this scale
const ICON_RADIUS = 5; // devices drawn at least this large show their icon; smaller ones are plain dots

class TopologyScene {
  draggable = true;

  attach(view) {
    this.view = view;
    const count = view.graph.count;
    this.x = new Float64Array(count).fill(NaN);
    this.y = new Float64Array(count).fill(NaN);
    this.layout = 0;
    this.worker = new Worker(new URL("./topology-worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => this.positions(data);
    this.worker.onerror = e => { view.host.dataset.layout = `error: ${e.message}`; };
    return this.restart();
  }

  /** Lays out the devices shown (all, or a pool's), starting from where they are now. */
  restart() {
    const view = this.view;
    const subset = [];
    for (let i = 0; i < view.graph.count; i++) if (view.isVisible(i)) subset.push(i);
    const local = new Int32Array(view.graph.count).fill(-1);
    subset.forEach((i, j) => { local[i] = j; });
    const links = [];
    const all = view.graph.links;
    for (let n = 0; n < all.length; n += 2) {
      const a = local[all[n]], b = local[all[n + 1]];
      if (a >= 0 && b >= 0) links.push(a, b);
    }
    this.subset = Int32Array.from(subset);
    this.local = local;
    this.layout++;
    view.host.dataset.layout = "running";
    const placed = subset.some(i => !Number.isNaN(this.x[i]));
    const firstPositions = new Promise(resolve => { this.onFirstPositions = resolve; });
    this.worker.postMessage({
      type: "start",
      layout: this.layout,
      count: subset.length,
      links: Int32Array.from(links),
      x: placed ? Float64Array.from(subset, i => this.x[i]) : null,
      y: placed ? Float64Array.from(subset, i => this.y[i]) : null,
      ticks: subset.length > 2000 ? 200 : 300,
    });
    return firstPositions;
  }

  positions(message) {
    if (message.layout !== this.layout) return;
    const { x, y } = message;
    for (let j = 0; j < this.subset.length; j++) {
      this.x[this.subset[j]] = x[j];
      this.y[this.subset[j]] = y[j];
    }
    if (this.onFirstPositions) {
      this.onFirstPositions();
      this.onFirstPositions = null;
    }
    if (!this.view.userMoved && this.view.graph) this.view.fit();
    this.view.requestRender();
    if (message.done) this.view.host.dataset.layout = "done";
  }

  visibilityChanged() {
    this.restart();
  }

  position(i) {
    return Number.isNaN(this.x[i]) || !this.view.isVisible(i) ? null : [this.x[i], this.y[i]];
  }

  drag(marker, x, y) {
    const i = marker.members[0];
    this.x[i] = x;
    this.y[i] = y;
    this.view.userMoved = true;
    this.worker.postMessage({ type: "pin", index: this.local[i], x, y });
  }

  draw(ctx, t, width, height) {
    const view = this.view;
    const g = view.graph;
    const colors = palette();
    ctx.fillStyle = colors.background;
    ctx.fillRect(0, 0, width, height);
    drawLinks(ctx, view, this.x, this.y, t);

    const r = Math.max(2.5, Math.min(11, 4 * Math.sqrt(t.k)));
    const markers = [];
    for (const i of this.subset) {
      if (Number.isNaN(this.x[i])) continue;
      const x = this.x[i] * t.k + t.x;
      const y = this.y[i] * t.k + t.y;
      if (x < -r || y < -r || x > width + r || y > height + r) continue;
      markers.push({ x, y, r, members: [i] });
    }
    if (r >= ICON_RADIUS) {
      this.drawIcons(ctx, markers, r, colors);
    } else {
      // One path per colour keeps 5,000 devices to a handful of fills.
      for (let status = 0; status < STATUS_COLORS.length; status++) {
        ctx.beginPath();
        for (const m of markers) {
          if (g.status[m.members[0]] !== status) continue;
          ctx.moveTo(m.x + r, m.y);
          ctx.arc(m.x, m.y, r, 0, 2 * Math.PI);
        }
        ctx.fillStyle = STATUS_COLORS[status];
        ctx.fill();
      }
    }
    ctx.beginPath();
    for (const m of markers) {
      if (!view.selected[m.members[0]]) continue;
      ctx.moveTo(m.x + r + 2.5, m.y);
      ctx.arc(m.x, m.y, r + 2.5, 0, 2 * Math.PI);
    }
    ctx.strokeStyle = SELECTED_COLOR;
    ctx.lineWidth = 2.5;
    ctx.stroke();

    if (t.k >= LABEL_ZOOM || markers.length <= 60) {
      ctx.font = "11px Roboto, Arial, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      ctx.fillStyle = colors.label;
      for (const m of markers.slice(0, MAX_LABELS)) ctx.fillText(g.names[m.members[0]], m.x, m.y - r - 2);
    }
    drawInterfaceNames(ctx, view, this.x, this.y, t, width, height, { minLength: t.k >= INTERFACE_ZOOM ? 0 : Infinity });
    return markers;
  }

  /** Each device as its icon in a disc of its status colour (cached bitmaps: sizes in half pixels). */
  drawIcons(ctx, markers, r, colors) {
    const g = this.view.graph;
    const size = Math.round(r * 2) / 2;
    for (const m of markers) {
      const i = m.members[0];
      m.icon = g.icons[i];
      g.sprites.draw(ctx, m.icon, STATUS_COLORS[g.status[i]], colors.markerEdge, m.x, m.y, size, this.view.dpr);
    }
  }

  dispose() {
    this.worker?.terminate();
  }
}

/** Called by the Blazor component, which then calls load(dataUrl) on the view it gets back. */
export function create(host, dotnet) {
  return new NetworkCanvas(host, dotnet, new TopologyScene());
}
